using System.Net;
using System.Net.Sockets;
using Grpc.Net.Client;

namespace IdResolution.Node.Tests.Infrastructure;

/// <summary>
/// HTTP and gRPC clients whose connections leave from a chosen loopback address (127.0.0.2, ...), so
/// that one machine can play several clients to a node that tells clients apart by address.
/// </summary>
public sealed class LoopbackClient : IDisposable
{
    public LoopbackClient(IPAddress from, NodeProcess node)
    {
        ArgumentNullException.ThrowIfNull(node);
        Http = new HttpClient(Handler(from)) { BaseAddress = new Uri($"http://127.0.0.1:{node.HttpPort}") };
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{node.GrpcPort}", new GrpcChannelOptions { HttpHandler = Handler(from) });
    }

    public HttpClient Http { get; }

    public GrpcChannel Channel { get; }

    public void Dispose()
    {
        Http.Dispose();
        Channel.Dispose();
    }

    public static SocketsHttpHandler Handler(IPAddress from) => new()
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(from.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(from, 0));
                await socket.ConnectAsync(IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
