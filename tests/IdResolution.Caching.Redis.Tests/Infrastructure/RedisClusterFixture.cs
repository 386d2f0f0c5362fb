namespace IdResolution.Caching.Redis.Tests.Infrastructure;

/// <summary>
/// One three-master cluster shared by the tests of one class, through
/// <c>IClassFixture&lt;RedisClusterFixture&gt;</c> (a cluster takes seconds to form). A test that
/// kills a node restarts it and waits for <see cref="RedisCluster.WaitUntilHealthyAsync"/> before it ends.
/// </summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    private RedisCluster? _cluster;

    public RedisCluster Cluster => _cluster ?? throw new InvalidOperationException("the fixture is not initialized");

    public async ValueTask InitializeAsync() => _cluster = await RedisCluster.StartAsync();

    /// <summary>FLUSHALL and CONFIG RESETSTAT on every node.</summary>
    public async Task ResetAsync()
    {
        foreach (var node in Cluster.Nodes)
        {
            await node.FlushAllAsync();
            await node.ResetStatsAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
