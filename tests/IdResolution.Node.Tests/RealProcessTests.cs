using System.Net;
using System.Text;
using Grpc.Core;
using Grpc.Reflection.V1Alpha;
using IdResolution.Contracts.V1;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Node.Tests;

/// <summary>The node as operators run it: a real process on Kestrel, h2c gRPC port and HTTP/1.1 port.</summary>
public sealed class RealProcessTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private NodeProcess? _node;

    private NodeProcess Node => _node ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync() => _node = await NodeProcess.StartAsync(_data.Path, TimeSpan.FromSeconds(60));

    public async ValueTask DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }

        _data.Dispose();
    }

    [Fact]
    public async Task Bodies_over_the_limit_get_413_whether_or_not_they_declare_a_length()
    {
        var body = "{\"values\":[{\"index\":1,\"type\":\"URL\",\"data\":{\"string\":\"" + new string('a', 10 * 1024 * 1024) + "\"}}]}";
        // Large uploads announce themselves with Expect: 100-continue (curl does), so the refusal
        // arrives before the body is sent instead of as a reset half-way through it.
        using var announced = new HttpRequestMessage(HttpMethod.Put, "/v1/handles/88.709.940/declared")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        announced.Headers.ExpectContinue = true;
        var declared = await Node.Http.SendAsync(announced);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);

        using var chunked = new HttpRequestMessage(HttpMethod.Put, "/v1/handles/88.709.940/chunked")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body))),
        };
        chunked.Headers.TransferEncodingChunked = true;
        chunked.Headers.ExpectContinue = true;
        chunked.Content.Headers.ContentType = new("application/json");
        var streamed = await Node.Http.SendAsync(chunked);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await Node.Http.GetAsync("/v1/handles/88.709.940/declared")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Node.Http.GetAsync("/v1/handles/88.709.940/chunked")).StatusCode);
    }

    [Fact]
    public async Task A_grpc_message_over_the_limit_is_refused_as_resource_exhausted()
    {
        var registry = new Registry.RegistryClient(Node.Channel);
        var huge = Values.Create("88.709.940/huge", Values.Text(1, "DESC", new string('a', 10 * 1024 * 1024)));
        var error = await Assert.ThrowsAsync<RpcException>(() => registry.CreateHandleAsync(huge).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task Reflection_lists_the_node_services_for_tools_like_grpcurl()
    {
        var reflection = new ServerReflection.ServerReflectionClient(Node.Channel);
        using var call = reflection.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = string.Empty });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("idresolution.v1.Resolution", services);
        Assert.Contains("idresolution.v1.Registry", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }

    [Fact]
    public async Task The_json_port_speaks_http1_and_the_grpc_port_speaks_http2()
    {
        await new Registry.RegistryClient(Node.Channel).CreateHandleAsync(Values.Create("88.709.940/ports", Values.Url(1, "https://p.test")));
        var response = await Node.Http.GetAsync("/v1/handles/88.709.940/ports");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new Version(1, 1), response.Version);
    }
}
