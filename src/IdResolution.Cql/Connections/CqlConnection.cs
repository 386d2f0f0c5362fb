using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading.Channels;
using IdResolution.Cql.Errors;
using IdResolution.Cql.Protocol;
using IdResolution.Cql.Protocol.Requests;
using IdResolution.Cql.Protocol.Responses;

namespace IdResolution.Cql.Connections;

/// <summary>
/// One TCP (optionally TLS) connection to a node, multiplexing requests over stream ids
/// (native_protocol_v4.spec §2.3). Callers serialise their frame and queue it; one writer loop drains the
/// queue, coalescing whatever queued meanwhile into one flush; one reader loop routes replies by stream id.
/// Any I/O error or protocol violation closes the connection and fails everything in flight with
/// <see cref="CqlConnectionException"/>, so no caller waits on a dead socket.
/// </summary>
internal sealed class CqlConnection : IAsyncDisposable
{
    // Bounds one coalesced write, so a flood of small frames still reaches the socket in steady pieces.
    private const int MaxFramesPerFlush = 256;

    private readonly Stream _stream;
    private readonly CqlConnectionOptions _options;
    private readonly StreamIdPool _ids;
    private readonly PendingRequest?[] _pending;
    private readonly Lock _gate = new();
    private readonly Channel<ReadOnlyMemory<byte>> _outgoing =
        Channel.CreateUnbounded<ReadOnlyMemory<byte>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _shutdown = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _readLoop = Task.CompletedTask;
    private Task _writeLoop = Task.CompletedTask;
    private Exception? _closedWith;
    private int _quarantined;
    private volatile bool _ready;

    private CqlConnection(EndPoint remoteEndPoint, Stream stream, CqlConnectionOptions options, byte protocolVersion)
    {
        RemoteEndPoint = remoteEndPoint;
        _stream = stream;
        _options = options;
        ProtocolVersion = protocolVersion;
        _ids = new StreamIdPool(options.MaxStreamIds);
        _pending = new PendingRequest?[options.MaxStreamIds];
    }

    /// <summary>
    /// Server-pushed events (stream -1), raised on the reader loop: handlers must be quick and must not block,
    /// or every reply on the connection waits behind them.
    /// </summary>
    public event Action<CqlEvent>? EventReceived;

    public EndPoint RemoteEndPoint { get; }

    /// <summary>The version the handshake settled on.</summary>
    public byte ProtocolVersion { get; }

    /// <summary>The SUPPORTED answer to OPTIONS, when it was sent.</summary>
    public SupportedResponse? Supported { get; internal set; }

    public bool IsClosed => Volatile.Read(ref _closedWith) is not null;

    /// <summary>Why the connection closed; null while it is open.</summary>
    public Exception? CloseReason => Volatile.Read(ref _closedWith);

    /// <summary>Open, and not so many ids waiting for late replies that the server looks stuck.</summary>
    public bool IsHealthy => !IsClosed && QuarantinedStreamIds <= _options.MaxQuarantinedStreamIds;

    /// <summary>Ids whose caller gave up (timeout or cancellation) and whose reply has not arrived yet.</summary>
    public int QuarantinedStreamIds => Volatile.Read(ref _quarantined);

    public int AvailableStreamIds => _ids.Available;

    /// <summary>Callers queued because every stream id is taken.</summary>
    public int WaitingForStreamId => _ids.Waiting;

    /// <summary>Completes when the connection has closed, for whatever reason.</summary>
    public Task Closed => _closed.Task;

    /// <summary>
    /// Connects and runs the handshake, trying <see cref="CqlConnectionOptions.MaxProtocolVersion"/> first and,
    /// if the server refuses it, once more on a fresh connection with the version the server answered in or
    /// the next lower one (cql-protocol.md §1.3).
    /// </summary>
    public static async Task<CqlConnection> OpenAsync(EndPoint endPoint, CqlConnectionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var version = options.MaxProtocolVersion;
        try
        {
            return await ConnectAsync(endPoint, options, version, cancellationToken);
        }
        catch (ProtocolVersionRefusedException refused)
        {
            var next = refused.ServerVersion is { } offered && offered < version ? offered : (byte)(version - 1);
            if (next < options.MinProtocolVersion)
            {
                throw new CqlServerProtocolErrorException(
                    $"{endPoint} refused protocol v{version} and v{next} is below the configured minimum v{options.MinProtocolVersion}: {refused.Message}",
                    refused);
            }

            try
            {
                return await ConnectAsync(endPoint, options, next, cancellationToken);
            }
            catch (ProtocolVersionRefusedException again)
            {
                throw new CqlServerProtocolErrorException($"{endPoint} refused protocol v{version} and v{next}: {again.Message}", again);
            }
        }
    }

    /// <summary>
    /// Sends a request and returns its reply. An ERROR reply is thrown as its typed <see cref="CqlServerException"/>.
    /// <paramref name="timeout"/> covers waiting for a free stream id and for the reply; when it passes, the
    /// caller gets a <see cref="TimeoutException"/> at once while the id stays quarantined until the late reply.
    /// </summary>
    public async Task<CqlResponse> SendAsync(ICqlRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var frame = await SendFrameAsync(request, timeout, cancellationToken);
        return frame.Message is ErrorResponse error ? throw error.Exception : frame.Message;
    }

    /// <summary>As <see cref="SendAsync"/>, but the whole frame comes back and an ERROR reply is not thrown.</summary>
    internal async Task<CqlResponseFrame> SendFrameAsync(ICqlRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        ThrowIfClosed();

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);

        short streamId;
        try
        {
            streamId = await _ids.AcquireAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No stream id to {RemoteEndPoint} became free within {timeout} for a {request.Opcode} request.");
        }
        catch (CqlConnectionException closed) when (!closed.NotSent)
        {
            // Closed while this request waited for an id: it got none, so no frame of it was written.
            throw ClosedError(closed);
        }

        ReadOnlyMemory<byte> frame;
        try
        {
            var output = new ArrayBufferWriter<byte>();
            CqlRequestFrameWriter.Write(output, ProtocolVersion, streamId, request, maxBodyLength: _options.MaxFrameBodyLength);
            frame = output.WrittenMemory;
        }
        catch
        {
            _ids.Release(streamId);
            throw;
        }

        var pending = new PendingRequest(streamId);
        lock (_gate)
        {
            if (_closedWith is { } reason)
            {
                throw ClosedError(reason);
            }

            _pending[streamId] = pending;
        }

        // Fails only once the connection has closed, and closing fails the pending request too.
        _outgoing.Writer.TryWrite(frame);

        try
        {
            return await pending.Reply.WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            // Counted before the state flips so the reader, which uncounts on seeing the flip, never goes below zero.
            Interlocked.Increment(ref _quarantined);
            if (!pending.TryAbandon())
            {
                // The reply (or the close) won the race; it is already set or about to be.
                Interlocked.Decrement(ref _quarantined);
                return await pending.Reply;
            }

            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"The {request.Opcode} request on stream {streamId} to {RemoteEndPoint} got no reply within {timeout}.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Fail(Lost($"The connection to {RemoteEndPoint} was closed by the client."));
        await Task.WhenAll(_readLoop, _writeLoop);
        _shutdown.Dispose();
    }

    private static async Task<CqlConnection> ConnectAsync(
        EndPoint endPoint,
        CqlConnectionOptions options,
        byte version,
        CancellationToken cancellationToken)
    {
        var stream = await OpenStreamAsync(endPoint, options, cancellationToken);
        var connection = new CqlConnection(endPoint, stream, options, version);
        connection.Start();
        try
        {
            await CqlHandshake.RunAsync(connection, options, cancellationToken);
            connection._ready = true;
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task<Stream> OpenStreamAsync(EndPoint endPoint, CqlConnectionOptions options, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.ConnectTimeout);
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        try
        {
            await socket.ConnectAsync(endPoint, deadline.Token);
            stream = new NetworkStream(socket, ownsSocket: true);
            if (options.Tls is { } tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                await ssl.AuthenticateAsClientAsync(tls, deadline.Token);
            }

            return stream;
        }
        catch (Exception e) when (e is SocketException or IOException or AuthenticationException
                                  || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            await DisposeQuietlyAsync(stream, socket);
            throw new CqlConnectionException($"Could not connect to {endPoint}: {e.Message}", e) { Host = endPoint };
        }
        catch
        {
            await DisposeQuietlyAsync(stream, socket);
            throw;
        }
    }

    private static async Task DisposeQuietlyAsync(Stream? stream, Socket socket)
    {
        if (stream is not null)
        {
            await stream.DisposeAsync();
        }

        socket.Dispose();
    }

    private void Start()
    {
        _readLoop = Task.Run(ReadLoopAsync);
        _writeLoop = Task.Run(WriteLoopAsync);
    }

    private async Task WriteLoopAsync()
    {
        var output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(leaveOpen: true));
        var queue = _outgoing.Reader;
        try
        {
            while (await queue.WaitToReadAsync(_shutdown.Token))
            {
                // Whatever queued while the previous flush was on the wire goes out together.
                for (var count = 0; count < MaxFramesPerFlush && queue.TryRead(out var frame); count++)
                {
                    output.Write(frame.Span);
                }

                var result = await output.FlushAsync(_shutdown.Token);
                if (result.IsCompleted)
                {
                    break;
                }
            }

            // Normally the queue only ends because the connection closed; if not, requests must not wait on a writer that stopped.
            Fail(Lost($"The writer of {RemoteEndPoint} stopped."));
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or SocketException)
        {
            Fail(Lost($"Writing to {RemoteEndPoint} failed: {e.Message}", e));
        }
        catch (Exception e)
        {
            Fail(Lost($"The writer of {RemoteEndPoint} failed: {e.Message}", e));
        }
        finally
        {
            await CompleteQuietlyAsync(output);
        }
    }

    /// <summary>Completing flushes what is buffered, which fails on the stream a close has already disposed.</summary>
    private static async Task CompleteQuietlyAsync(PipeWriter output)
    {
        try
        {
            await output.CompleteAsync();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            // The connection has failed already and said why.
        }
    }

    private async Task ReadLoopAsync()
    {
        var input = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(_shutdown.Token);
                var buffer = result.Buffer;
                try
                {
                    while (TryReadFrame(ref buffer, out var header, out var body))
                    {
                        Dispatch(header, body);
                    }
                }
                finally
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                }

                if (result.IsCompleted)
                {
                    Fail(Lost(buffer.IsEmpty
                        ? $"{RemoteEndPoint} closed the connection."
                        : $"{RemoteEndPoint} closed the connection in the middle of a frame."));
                    return;
                }
            }
        }
        catch (CqlProtocolException e)
        {
            Fail(Lost($"{RemoteEndPoint} violated the protocol: {e.Message}", e));
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or SocketException)
        {
            Fail(Lost($"Reading from {RemoteEndPoint} failed: {e.Message}", e));
        }
        catch (Exception e)
        {
            // Whatever went wrong, nobody may be left waiting on a reader that has stopped.
            Fail(Lost($"The reader of {RemoteEndPoint} failed: {e.Message}", e));
        }
        finally
        {
            await input.CompleteAsync();
        }
    }

    private bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out CqlFrameHeader header, out byte[] body)
    {
        header = default;
        body = [];
        if (buffer.Length < CqlFrameHeader.Size)
        {
            return false;
        }

        Span<byte> headerBytes = stackalloc byte[CqlFrameHeader.Size];
        buffer.Slice(0, CqlFrameHeader.Size).CopyTo(headerBytes);
        header = CqlFrameHeader.Read(headerBytes, expectResponse: true, _options.MaxFrameBodyLength);
        if (buffer.Length - CqlFrameHeader.Size < header.BodyLength)
        {
            return false;
        }

        // A copy, not a slice of the pipe: decoded results keep slices of the body after the pipe moves on.
        body = buffer.Slice(CqlFrameHeader.Size, header.BodyLength).ToArray();
        buffer = buffer.Slice(CqlFrameHeader.Size + header.BodyLength);
        return true;
    }

    private void Dispatch(CqlFrameHeader header, byte[] body)
    {
        if (header.Version != ProtocolVersion)
        {
            // A server refusing our version answers in its own, possibly on a stream id of its choosing.
            if (!_ready && header.Opcode == CqlOpcode.Error)
            {
                Fail(new ProtocolVersionRefusedException(header.Version, ErrorMessage(header, body)));
                return;
            }

            throw new CqlProtocolException($"A v{header.Version} frame arrived on a v{ProtocolVersion} connection.");
        }

        if (header.StreamId < 0)
        {
            // Negative ids are the server's; -1 carries events and no other use is defined.
            if (header.StreamId == -1 && header.Opcode == CqlOpcode.Event)
            {
                RaiseEvent(header, body);
            }

            return;
        }

        PendingRequest? pending = null;
        lock (_gate)
        {
            if (header.StreamId < _pending.Length)
            {
                pending = _pending[header.StreamId];
                _pending[header.StreamId] = null;
            }
        }

        if (pending is null)
        {
            throw new CqlProtocolException($"A reply arrived on stream {header.StreamId}, which has no request in flight.");
        }

        CqlResponseFrame? frame = null;
        CqlProtocolException? undecodable = null;
        try
        {
            frame = CqlResponseFrame.Read(header, body);
        }
        catch (CqlProtocolException e)
        {
            // The frame boundary held, so only this request is lost, not the connection.
            undecodable = e;
        }

        var claimed = pending.TryClaim();
        if (!claimed)
        {
            Interlocked.Decrement(ref _quarantined);
        }

        _ids.Release(header.StreamId);
        if (claimed)
        {
            if (frame is not null)
            {
                pending.Answer(frame);
            }
            else
            {
                pending.Fail(undecodable!);
            }
        }
    }

    private void RaiseEvent(CqlFrameHeader header, byte[] body)
    {
        CqlResponseFrame frame;
        try
        {
            frame = CqlResponseFrame.Read(header, body);
        }
        catch (CqlProtocolException)
        {
            // A newer server may push event kinds this client does not know; the framing is intact, so skip it.
            return;
        }

        if (frame.Message is not EventResponse { Event: var cqlEvent } || EventReceived is not { } handlers)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<Action<CqlEvent>>())
        {
            try
            {
                handler(cqlEvent);
            }
            catch (Exception)
            {
                // A subscriber's bug must cost that subscriber its event, not every request its connection.
            }
        }
    }

    private static string ErrorMessage(CqlFrameHeader header, byte[] body)
    {
        try
        {
            return CqlResponseFrame.Read(header, body).Message is ErrorResponse error
                ? error.Exception.Message
                : "the server answered in another protocol version";
        }
        catch (CqlProtocolException)
        {
            return $"the server answered in protocol v{header.Version}";
        }
    }

    private void Fail(Exception reason)
    {
        PendingRequest?[] inFlight;
        lock (_gate)
        {
            if (_closedWith is not null)
            {
                return;
            }

            Volatile.Write(ref _closedWith, reason);
            inFlight = [.. _pending];
            Array.Clear(_pending);
        }

        _ids.Close(reason is CqlConnectionException ? reason : ClosedError(reason));
        _outgoing.Writer.TryComplete();
        _shutdown.Cancel();
        _stream.Dispose();
        foreach (var pending in inFlight)
        {
            pending?.Close(reason);
        }

        _closed.TrySetResult();
    }

    private void ThrowIfClosed()
    {
        if (Volatile.Read(ref _closedWith) is { } reason)
        {
            throw ClosedError(reason);
        }
    }

    /// <summary>A request refused because the connection had closed before its frame was queued: it was not sent.</summary>
    private CqlConnectionException ClosedError(Exception reason) =>
        new($"The connection to {RemoteEndPoint} is closed: {reason.Message}", reason) { Host = RemoteEndPoint, NotSent = true };

    private CqlConnectionException Lost(string message, Exception? inner = null) => new(message, inner) { Host = RemoteEndPoint };
}
