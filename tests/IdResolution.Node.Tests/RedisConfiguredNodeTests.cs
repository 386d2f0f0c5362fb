using System.Net;
using System.Net.Http.Headers;
using System.Text;
using IdResolution.Caching.Redis.Tests.Infrastructure;
using IdResolution.Caching.Redis.Tests.Support;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Node.Tests;

/// <summary>
/// The node process with its Redis tier switched on by configuration, over a real redis-server:
/// the tier's instruments are exported with the node's metrics, readiness says when Redis is
/// gone (degraded, still serving), and the node takes Redis back without a restart.
/// </summary>
public sealed class RedisConfiguredNodeTests : IAsyncLifetime
{
    private const string Handle = "88.709.911/REDIS-0001";
    private readonly TempDirectory _data = new();
    private RedisServer _redis = null!;
    private NodeProcess _node = null!;

    public async ValueTask InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _node = await NodeProcess.StartAsync(
            _data.Path,
            TimeSpan.FromSeconds(60),
            $"--Redis:Configuration={_redis.EndPoint}",
            "--Redis:InvalidationHoldMilliseconds=100",
            "--Redis:TimeoutMilliseconds=200",
            "--Redis:BreakerMinimumThroughput=2",
            "--Redis:BreakerBreakMilliseconds=500",
            "--Cache:LocalMaxTtlSeconds=0");
        _node.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _node.AdminToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _node.DisposeAsync();
        await _redis.DisposeAsync();
        _data.Dispose();
    }

    private async Task<string> MetricsAsync() => await _node.Http.GetStringAsync("/metrics");

    private async Task CreateAsync()
    {
        var put = await _node.Http.PutAsync($"/v1/handles/{Handle}", new StringContent(
            """{"values":[{"index":1,"type":"URL","data":{"string":"https://example.org"}}]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
    }

    /// <summary>Whether Redis holds the handle's record (it also holds the account records that sign-in reads).</summary>
    private async Task<bool> RedisHoldsTheHandleAsync() =>
        (await _redis.CommandAsync("KEYS", "idres:h:*"))?.Contains(Handle, StringComparison.OrdinalIgnoreCase) == true;

    private async Task<HttpStatusCode> ResolveAsync() => (await _node.Http.GetAsync($"/v1/handles/{Handle}")).StatusCode;

    [Fact]
    public async Task Resolutions_are_served_from_redis_and_the_tier_is_measured_in_the_node_metrics()
    {
        Assert.Contains($"cache in-process + Redis ({_redis.EndPoint})", _node.Output, StringComparison.Ordinal);
        await CreateAsync();

        await Poll.UntilAsync(
            async () => await ResolveAsync() == HttpStatusCode.OK && await RedisHoldsTheHandleAsync(),
            "a resolution fills Redis once the write's invalidation hold is over");
        // The exporter caches a scrape for a moment, so the count is watched rather than read once.
        var hits = PrometheusText.Sum(await MetricsAsync(), "idres_cache_hits_total", "tier=\"redis\"");
        await Poll.UntilAsync(
            async () => await ResolveAsync() == HttpStatusCode.OK && PrometheusText.Sum(await MetricsAsync(), "idres_cache_hits_total", "tier=\"redis\"") > hits,
            "resolutions are counted as Redis hits");

        var metrics = await MetricsAsync();
        Assert.True(PrometheusText.Sum(metrics, "idres_cache_misses_total", "tier=\"redis\"") >= 1);
        Assert.True(PrometheusText.Sum(metrics, "idres_cache_invalidations_total", "direction=\"sent\"") >= 1);
        Assert.True(PrometheusText.Sum(metrics, "idres_redis_duration_seconds_count", "operation=\"get\"") >= 1);
        Assert.True(PrometheusText.Has(metrics, "idres_redis_breaker_state"));
        Assert.Equal(0, PrometheusText.Sum(metrics, "idres_redis_breaker_state"));
    }

    [Fact]
    public async Task Without_redis_the_node_reports_itself_degraded_keeps_answering_and_recovers_without_a_restart()
    {
        await CreateAsync();
        Assert.Equal("Healthy", await _node.Http.GetStringAsync("/readyz"));

        await _redis.KillAsync();
        await Poll.UntilAsync(
            async () => await ResolveAsync() == HttpStatusCode.OK && await _node.Http.GetStringAsync("/readyz") == "Degraded",
            "readiness reports the lost Redis");
        await Poll.UntilAsync(
            async () => PrometheusText.Sum(await MetricsAsync(), "idres_redis_breaker_state") == 1,
            "the breaker state is exported as open");
        Assert.True(PrometheusText.Sum(await MetricsAsync(), "idres_redis_failures_total") >= 1);

        await _redis.RestartAsync();
        await Poll.UntilAsync(
            async () => await ResolveAsync() == HttpStatusCode.OK && await _node.Http.GetStringAsync("/readyz") == "Healthy" && await RedisHoldsTheHandleAsync(),
            "the node uses Redis again");
        Assert.False(_node.HasExited);
    }
}
