using System.Net;
using System.Net.Sockets;

namespace IdResolution.Caching.Redis.Tests.Infrastructure;

internal static class LoopbackPort
{
    /// <summary>
    /// A port the kernel just handed out on 127.0.0.1 and is free again. Someone else may take it
    /// before redis binds it; <see cref="RedisServer.StartAsync(string[])"/> retries when that happens.
    /// </summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
