using System.Net;
using Grpc.Health.V1;
using IdResolution.Contracts.V1;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Node.Tests;

/// <summary>What operators and orchestrators use: health, readiness, gRPC health and Prometheus metrics.</summary>
public sealed class OperationsTests : IClassFixture<NodeFactory>
{
    private readonly NodeFactory _factory;

    public OperationsTests(NodeFactory factory) => _factory = factory;

    [Fact]
    public async Task Liveness_readiness_and_grpc_health_report_serving()
    {
        var http = _factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
        var ready = await http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());

        var health = await new Health.HealthClient(_factory.Channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task Metrics_count_resolutions_registrations_cache_and_errors()
    {
        await _factory.Registry.CreateHandleAsync(Values.Create("88.709.920/metrics", Values.Url(1, "https://m.test")));
        for (var i = 0; i < 3; i++)
        {
            await _factory.Resolution.ResolveAsync(new ResolveRequest { Handle = "88.709.920/metrics" });
        }

        await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => _factory.Resolution.ResolveAsync(new ResolveRequest { Handle = "88.709.920/absent" }).ResponseAsync);

        var http = _factory.CreateClient();
        var text = await http.GetStringAsync("/metrics");
        Assert.True(PrometheusText.Sum(text, "idres_resolutions_total", "code=\"1\"") >= 3);
        Assert.True(PrometheusText.Sum(text, "idres_registrations_total", "code=\"1\"") >= 1);
        Assert.True(PrometheusText.Sum(text, "idres_cache_hits_total", "tier=\"in_process\"") >= 2);
        Assert.True(PrometheusText.Sum(text, "idres_cache_misses_total", "tier=\"in_process\"") >= 1);
        Assert.True(PrometheusText.Sum(text, "idres_errors_total", "code=\"100\"") >= 1);
    }
}
