using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace IdResolution.LoadTests;

/// <summary>
/// Single commands to a Redis server over a connection of their own, in Redis's inline form: the
/// benchmark checks the server from outside the cache tier it measures, not through it.
/// </summary>
internal static class RespProbe
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(2);

    public static async Task<bool> PingAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync(port, "PING", cancellationToken) == "+PONG";
        }
        catch (Exception exception) when (exception is SocketException or IOException or TimeoutException)
        {
            return false;
        }
    }

    public static async Task<long> DbSizeAsync(int port, CancellationToken cancellationToken)
    {
        var reply = await SendAsync(port, "DBSIZE", cancellationToken);
        return reply.StartsWith(':') && long.TryParse(reply.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            ? size
            : throw new IOException($"unexpected DBSIZE reply '{reply}'");
    }

    private static async Task<string> SendAsync(int port, string command, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CallTimeout);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"), timeout.Token);
            using var reader = new StreamReader(stream, Encoding.ASCII);
            return await reader.ReadLineAsync(timeout.Token) ?? throw new IOException($"Redis closed the connection without answering {command}");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Redis did not answer {command} within {CallTimeout.TotalSeconds:F0} s");
        }
    }
}
