using IdResolution.Caching.Redis.Tests.Infrastructure;

namespace IdResolution.Caching.Redis.Tests;

/// <summary>The shared three-master cluster fixture against the real redis-server processes it runs.</summary>
public sealed class ClusterFixtureTests(RedisClusterFixture fixture) : IClassFixture<RedisClusterFixture>, IAsyncLifetime
{
    private RedisCluster Cluster => fixture.Cluster;

    public async ValueTask InitializeAsync() => await fixture.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Every_node_sees_three_masters_covering_all_slots()
    {
        Assert.Equal(3, Cluster.Nodes.Count);
        foreach (var node in Cluster.Nodes)
        {
            var info = RespReply.ToFields(await node.CommandAsync("CLUSTER", "INFO"));
            Assert.Equal("ok", info["cluster_state"]);
            Assert.Equal("16384", info["cluster_slots_assigned"]);
            Assert.Equal("3", info["cluster_known_nodes"]);
            Assert.Equal("3", info["cluster_size"]);
        }
    }

    [Fact]
    public void The_configuration_string_lists_each_node_endpoint()
    {
        Assert.Equal(
            string.Join(',', Cluster.Nodes.Select(node => $"127.0.0.1:{node.Port}")),
            Cluster.ConfigurationString);
        Assert.Equal(3, Cluster.Nodes.Select(node => node.Port).Distinct().Count());
    }

    [Fact]
    public async Task A_key_is_served_by_its_owner_and_redirected_elsewhere()
    {
        var owner = await Cluster.NodeForKeyAsync("handle:10.1000/1");
        var slot = await owner.IntegerAsync("CLUSTER", "KEYSLOT", "handle:10.1000/1");

        Assert.Equal("OK", await owner.CommandAsync("SET", "handle:10.1000/1", "v"));
        foreach (var other in Cluster.Nodes.Where(node => node != owner))
        {
            var moved = await Assert.ThrowsAsync<RedisErrorReplyException>(() => other.CommandAsync("GET", "handle:10.1000/1"));
            Assert.Equal($"MOVED {slot} {owner.EndPoint}", moved.Message);
        }
    }

    [Fact]
    public async Task A_killed_node_rejoins_as_itself_after_restart()
    {
        var node = Cluster.Nodes[1];
        var id = await node.CommandAsync("CLUSTER", "MYID");

        await node.KillAsync();
        await node.RestartAsync();
        await Cluster.WaitUntilHealthyAsync();

        Assert.Equal(id, await node.CommandAsync("CLUSTER", "MYID"));
        Assert.Equal("ok", RespReply.ToFields(await node.CommandAsync("CLUSTER", "INFO"))["cluster_state"]);
    }
}
