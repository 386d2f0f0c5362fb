using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using IdResolution.Cql.Errors;
using IdResolution.Cql.Protocol;

namespace IdResolution.Cql.Tests.Server;

/// <summary>
/// TEST FIXTURE ONLY. It stands in for Cassandra, which cannot run in CI here, so the connection layer's
/// resilience can be tested; it is not a CQL implementation. It speaks v3/v4 framing on a loopback address
/// (127.0.0.1 unless told another of 127/8; a spare port), optionally over TLS, for the handshake (OPTIONS,
/// STARTUP, PasswordAuthenticator's SASL PLAIN), REGISTER and events, and hands QUERY, EXECUTE, PREPARE and
/// BATCH to a per-test <see cref="Handler"/> whose <see cref="ServerReply"/> may answer, fail, stall, drop the
/// connection or never answer. It can stop listening (connections refused) and listen again on the same
/// port, and fail handshakes in the ways of <see cref="HandshakeFault"/>.
/// </summary>
internal sealed class LoopbackCqlServer : IAsyncDisposable
{
    private TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<int, ServerConnection> _connections = new();
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private readonly (string User, string Password)? _credentials;
    private readonly X509Certificate2? _tlsCertificate;
    private Task _acceptLoop;
    private int _connectionCount;

    public LoopbackCqlServer(
        Func<ReceivedRequest, ServerReply>? handler = null,
        byte maxProtocolVersion = 4,
        (string User, string Password)? credentials = null,
        X509Certificate2? tlsCertificate = null,
        IPAddress? address = null)
    {
        _tlsCertificate = tlsCertificate;
        Handler = handler ?? (_ => ServerReply.Void);
        MaxProtocolVersion = maxProtocolVersion;
        _credentials = credentials;
        _listener = new TcpListener(address ?? IPAddress.Loopback, 0);
        _listener.Start();
        EndPoint = (IPEndPoint)_listener.LocalEndpoint;
        _acceptLoop = AcceptLoopAsync();
    }

    public const string PasswordAuthenticator = "org.apache.cassandra.auth.PasswordAuthenticator";

    public IPEndPoint EndPoint { get; }

    public byte MaxProtocolVersion { get; }

    public Func<ReceivedRequest, ServerReply> Handler { get; set; }

    /// <summary>How the handshake of new connections fails; <see cref="HandshakeFault.None"/> answers it properly.</summary>
    public HandshakeFault HandshakeFault { get; set; }

    public bool IsListening { get; private set; } = true;

    /// <summary>Every request frame received, in arrival order across connections.</summary>
    public IReadOnlyList<ReceivedRequest> Received => [.. _received];

    /// <summary>Connections accepted since the start.</summary>
    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    public int OpenConnectionCount => _connections.Count;

    /// <summary>Pushes a STATUS_CHANGE event on stream -1 to every connection that registered; returns how many got it.</summary>
    public Task<int> PushStatusChangeAsync(string change, IPEndPoint node) => PushNodeEventAsync("STATUS_CHANGE", change, node);

    /// <summary>Pushes a TOPOLOGY_CHANGE event (NEW_NODE, REMOVED_NODE) to every connection that registered.</summary>
    public Task<int> PushTopologyChangeAsync(string change, IPEndPoint node) => PushNodeEventAsync("TOPOLOGY_CHANGE", change, node);

    /// <summary>Refuses new connections (the port closes) and resets the open ones: a node that died.</summary>
    public void StopListening()
    {
        IsListening = false;
        _listener.Stop();
        KillAllConnections();
    }

    /// <summary>Listens again on the same address and port: the node restarted.</summary>
    public void StartListening()
    {
        if (IsListening)
        {
            return;
        }

        var listener = new TcpListener(EndPoint);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _listener = listener;
        IsListening = true;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>Writes a raw frame to every connection, for tests of what the client does with unexpected frames.</summary>
    public async Task WriteToAllAsync(short streamId, CqlOpcode opcode, byte[] body)
    {
        foreach (var connection in _connections.Values)
        {
            await connection.WriteAsync(streamId, opcode, body);
        }
    }

    public void KillAllConnections()
    {
        foreach (var connection in _connections.Values)
        {
            connection.Kill();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        IsListening = false;
        _listener.Stop();
        KillAllConnections();
        await _acceptLoop;
        _stop.Dispose();
    }

    private async Task<int> PushNodeEventAsync(string type, string change, IPEndPoint node)
    {
        var body = new ArrayBufferWriter<byte>();
        body.WriteString(type);
        body.WriteString(change);
        body.WriteInet(node);
        var pushed = 0;
        foreach (var connection in _connections.Values.Where(c => c.Registered))
        {
            try
            {
                await connection.WriteAsync(-1, CqlOpcode.Event, body.WrittenSpan.ToArray());
                pushed++;
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
            {
                // The connection closed meanwhile; the event is lost for it, as with a real node.
            }
        }

        return pushed;
    }

    private async Task AcceptLoopAsync()
    {
        var listener = _listener;
        try
        {
            while (true)
            {
                var socket = await listener.AcceptSocketAsync(_stop.Token);
                var connection = new ServerConnection(Interlocked.Increment(ref _connectionCount), socket);
                if (HandshakeFault == HandshakeFault.AcceptThenClose)
                {
                    connection.Kill();
                    continue;
                }

                _connections[connection.Id] = connection;
                _ = ServeAsync(connection);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Stopped; a listener stopped between two accepts says so with InvalidOperationException.
        }
    }

    private async Task ServeAsync(ServerConnection connection)
    {
        try
        {
            if (_tlsCertificate is not null)
            {
                await connection.StartTlsAsync(_tlsCertificate, _stop.Token);
            }

            var header = new byte[CqlFrameHeader.Size];
            while (true)
            {
                await connection.Stream.ReadExactlyAsync(header, _stop.Token);
                var frame = CqlFrameHeader.Read(header, expectResponse: false);
                var body = new byte[frame.BodyLength];
                await connection.Stream.ReadExactlyAsync(body, _stop.Token);
                var request = new ReceivedRequest(connection.Id, frame.Version, frame.StreamId, frame.Opcode, body);
                _received.Enqueue(request);
                if (!await AnswerAsync(connection, request))
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or OperationCanceledException or ObjectDisposedException
                                      or SocketException or CqlProtocolException or AuthenticationException)
        {
            // The client went away or the test is over.
        }
        finally
        {
            // No-op after a drop, which has already reset it.
            connection.Close();
            _connections.TryRemove(connection.Id, out _);
        }
    }

    /// <returns>False when the connection is to be closed.</returns>
    private async Task<bool> AnswerAsync(ServerConnection connection, ReceivedRequest request)
    {
        if (request.Version > MaxProtocolVersion)
        {
            // As Cassandra does: the refusal travels in the server's own version, then the connection closes.
            connection.Version = MaxProtocolVersion;
            var supported = string.Join(", ", Enumerable.Range(3, MaxProtocolVersion - 2).Select(v => $"{v}/v{v}"));
            await WriteErrorAsync(
                connection,
                request.StreamId,
                CqlErrorCode.ProtocolError,
                $"Invalid or unsupported protocol version ({request.Version}); supported versions are ({supported})");
            return false;
        }

        connection.Version = request.Version;
        if (request.Opcode is CqlOpcode.Options or CqlOpcode.Startup && HandshakeFault != HandshakeFault.None)
        {
            return await FailHandshakeAsync(connection, request);
        }

        switch (request.Opcode)
        {
            case CqlOpcode.Options:
                await connection.WriteAsync(request.StreamId, CqlOpcode.Supported, Supported());
                return true;
            case CqlOpcode.Startup:
                if (_credentials is null)
                {
                    await connection.WriteAsync(request.StreamId, CqlOpcode.Ready, []);
                }
                else
                {
                    var body = new ArrayBufferWriter<byte>();
                    body.WriteString(PasswordAuthenticator);
                    await connection.WriteAsync(request.StreamId, CqlOpcode.Authenticate, body.WrittenSpan.ToArray());
                }

                return true;
            case CqlOpcode.AuthResponse:
                await AnswerCredentialsAsync(connection, request);
                return true;
            case CqlOpcode.Register:
                connection.Registered = true;
                await connection.WriteAsync(request.StreamId, CqlOpcode.Ready, []);
                return true;
            case CqlOpcode.Query or CqlOpcode.Execute or CqlOpcode.Prepare or CqlOpcode.Batch:
                return await ReplyAsync(connection, request.StreamId, Handler(request));
            default:
                await WriteErrorAsync(connection, request.StreamId, CqlErrorCode.ProtocolError, $"Unexpected {request.Opcode}.");
                return true;
        }
    }

    /// <returns>False when the connection is to be closed.</returns>
    private async Task<bool> FailHandshakeAsync(ServerConnection connection, ReceivedRequest request)
    {
        switch (HandshakeFault)
        {
            case HandshakeFault.Silent:
                return true;
            case HandshakeFault.Garbage:
                await connection.WriteRawAsync([0xFF, 0x00, 0x13, 0x37, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42]);
                return true;
            case HandshakeFault.UnexpectedReply:
                await connection.WriteAsync(request.StreamId, CqlOpcode.Result, [0, 0, 0, 1]);
                return true;
            case HandshakeFault.ServerError:
                await WriteErrorAsync(connection, request.StreamId, CqlErrorCode.ServerError, "java.lang.RuntimeException: node is starting");
                return true;
            case HandshakeFault.Bootstrapping:
                await WriteErrorAsync(connection, request.StreamId, CqlErrorCode.IsBootstrapping, "Cannot accept requests: the node is bootstrapping");
                return true;
            case HandshakeFault.AuthenticationError:
                await WriteErrorAsync(connection, request.StreamId, CqlErrorCode.AuthenticationError, "Provided username and/or password are incorrect");
                return true;
            case HandshakeFault.CloseMidHandshake:
                connection.Kill();
                return false;
            default:
                throw new InvalidOperationException($"Unknown handshake fault {HandshakeFault}.");
        }
    }

    private async Task AnswerCredentialsAsync(ServerConnection connection, ReceivedRequest request)
    {
        // SASL PLAIN: authzid \0 user \0 password.
        var token = new CqlBodyReader(request.Body).ReadBytes() is { } bytes ? Encoding.UTF8.GetString(bytes.Span) : string.Empty;
        var parts = token.Split('\0');
        if (_credentials is { } expected && parts.Length == 3 && parts[1] == expected.User && parts[2] == expected.Password)
        {
            var body = new ArrayBufferWriter<byte>();
            body.WriteBytes(null);
            await connection.WriteAsync(request.StreamId, CqlOpcode.AuthSuccess, body.WrittenSpan.ToArray());
            return;
        }

        await WriteErrorAsync(
            connection,
            request.StreamId,
            CqlErrorCode.AuthenticationError,
            "Provided username and/or password are incorrect");
    }

    private async Task<bool> ReplyAsync(ServerConnection connection, short streamId, ServerReply reply)
    {
        switch (reply)
        {
            case FrameReply frame:
                await connection.WriteAsync(streamId, frame.Opcode, frame.Body);
                return true;
            case GatedReply gated:
                // Off the read loop, so later requests on the connection are read (and answered) meanwhile.
                _ = AnswerLaterAsync(connection, streamId, gated);
                return true;
            case DropReply:
                connection.Kill();
                return false;
            default:
                return true;
        }
    }

    private async Task AnswerLaterAsync(ServerConnection connection, short streamId, GatedReply gated)
    {
        try
        {
            await gated.Gate.WaitAsync(_stop.Token);
            if (!await ReplyAsync(connection, streamId, gated.Then))
            {
                _connections.TryRemove(connection.Id, out _);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The connection or the server is gone; the reply has nowhere to go.
        }
    }

    private static Task WriteErrorAsync(ServerConnection connection, short streamId, CqlErrorCode code, string message)
    {
        var body = new ArrayBufferWriter<byte>();
        body.WriteInt((int)code);
        body.WriteString(message);
        return connection.WriteAsync(streamId, CqlOpcode.Error, body.WrittenSpan.ToArray());
    }

    private byte[] Supported()
    {
        var body = new ArrayBufferWriter<byte>();
        var versions = Enumerable.Range(3, MaxProtocolVersion - 2).Select(v => $"{v}/v{v}").ToList();
        body.WriteStringMultimap(
        [
            new("CQL_VERSION", ["3.4.5"]),
            new("COMPRESSION", []),
            new("PROTOCOL_VERSIONS", versions),
        ]);
        return body.WrittenSpan.ToArray();
    }
}
