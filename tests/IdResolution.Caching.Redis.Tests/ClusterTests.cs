using System.Diagnostics;
using IdResolution.Caching.Redis.Tests.Infrastructure;
using IdResolution.Caching.Redis.Tests.Support;

namespace IdResolution.Caching.Redis.Tests;

/// <summary>The same tier over a real three-master Redis Cluster, through the same kind of configuration string.</summary>
public sealed class ClusterTests(RedisClusterFixture cluster) : IClassFixture<RedisClusterFixture>, IAsyncLifetime
{
    private readonly SharedStore _store = new();
    private readonly string _scope = TieredInstance.NewScope();
    private TieredInstance _a = null!;
    private TieredInstance _b = null!;

    public ValueTask InitializeAsync()
    {
        _a = _store.StartInstance(cluster.Cluster.ConfigurationString, _scope, redis => redis.InvalidationHoldMilliseconds = 200);
        _b = _store.StartInstance(cluster.Cluster.ConfigurationString, _scope, redis => redis.InvalidationHoldMilliseconds = 200, new() { LocalMaxTtlSeconds = 0 });
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task Records_spread_over_every_master_and_are_served_from_the_cluster()
    {
        var handles = Enumerable.Range(0, 300).Select(i => $"88.709.911/CLUSTER-{i:D3}").ToArray();
        foreach (var handle in handles)
        {
            await _a.CreateAsync(handle, "https://c");
        }

        // B keeps nothing in memory: once each write's hold has passed, its resolutions fill the cluster, then hit it.
        await Poll.UntilAsync(
            async () =>
            {
                foreach (var handle in handles)
                {
                    Assert.Equal("https://c", await _b.UrlAsync(handle));
                }

                return _b.Redis.Metrics.Hits >= handles.Length;
            },
            "B is served every handle from the cluster");

        foreach (var node in cluster.Cluster.Nodes)
        {
            Assert.True(await node.DbSizeAsync() > 0, $"master {node.EndPoint} holds none of the records");
        }
    }

    [Fact]
    public async Task A_batch_across_slots_invalidates_every_handle_on_the_other_instance_within_one_second()
    {
        var handles = Enumerable.Range(0, 100).Select(i => $"88.709.911/SLOTS-{i:D3}").ToArray();
        var reader = _store.StartInstance(cluster.Cluster.ConfigurationString, _scope);
        foreach (var handle in handles)
        {
            await _a.CreateAsync(handle, "https://old");
            Assert.Equal("https://old", await reader.UrlAsync(handle));
        }

        await _a.UpdateBatchAsync(handles, "https://new");
        await reader.AssertResolvesWithinAsync(handles, "https://new", Stopwatch.StartNew(), TimeSpan.FromSeconds(1));
        Assert.Equal(0, _a.Redis.PendingInvalidationCount);
    }
}
