using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using IdResolution.Cql.Protocol;

namespace IdResolution.Cql.Tests.Server;

/// <summary>One client connection of the <see cref="LoopbackCqlServer"/>.</summary>
internal sealed class ServerConnection(int id, Socket socket)
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private int _killed;

    public int Id { get; } = id;

    /// <summary>The socket's stream, or the TLS stream over it once <see cref="StartTlsAsync"/> ran.</summary>
    public Stream Stream { get; private set; } = new NetworkStream(socket, ownsSocket: true);

    /// <summary>The version replies are written in: that of the last request.</summary>
    public byte Version { get; set; } = 4;

    public bool Registered { get; set; }

    public async Task StartTlsAsync(X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        var tls = new SslStream(Stream, leaveInnerStreamOpen: false);
        Stream = tls;
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, cancellationToken);
    }

    /// <summary>Replies come from many tasks; a frame must reach the socket whole.</summary>
    public async Task WriteAsync(short streamId, CqlOpcode opcode, byte[] body)
    {
        var frame = new byte[CqlFrameHeader.Size + body.Length];
        new CqlFrameHeader(Version, IsResponse: true, CqlFrameFlags.None, streamId, opcode, body.Length).Write(frame);
        body.CopyTo(frame, CqlFrameHeader.Size);
        await _writeLock.WaitAsync();
        try
        {
            await Stream.WriteAsync(frame);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Bytes that are no frame at all, for clients that must survive a garbled peer.</summary>
    public async Task WriteRawAsync(byte[] bytes)
    {
        await _writeLock.WaitAsync();
        try
        {
            await Stream.WriteAsync(bytes);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Closes the connection gracefully (FIN), as Cassandra does after refusing a protocol version.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _killed, 1) != 0)
        {
            return;
        }

        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }

        Stream.Dispose();
    }

    /// <summary>Resets the connection (RST, not FIN), as a crashed node or a cut cable would.</summary>
    public void Kill()
    {
        if (Interlocked.Exchange(ref _killed, 1) != 0)
        {
            return;
        }

        try
        {
            socket.LingerState = new LingerOption(enable: true, seconds: 0);
        }
        catch (ObjectDisposedException)
        {
            // Already gone.
        }

        Stream.Dispose();
    }
}
