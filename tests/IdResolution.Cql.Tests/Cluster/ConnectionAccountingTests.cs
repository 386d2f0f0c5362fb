using IdResolution.Cql.Tests.Server;

namespace IdResolution.Cql.Tests.Cluster;

/// <summary>
/// Connections per node, counted on the fake cluster's side: each node holds its pool's size, and the
/// control node one more, whatever UP events arrive (Cassandra sends them more than once per return).
/// </summary>
public sealed class ConnectionAccountingTests
{
    [Fact]
    public async Task Repeated_up_events_never_open_connections_beyond_the_pool_size()
    {
        await using var kit = await FakeClusterKit.StartAsync(new FakeCluster());
        var events = kit.Session.EventsHandled;
        var pushed = 0;
        for (var round = 0; round < 3; round++)
        {
            foreach (var node in kit.Cluster.Nodes)
            {
                pushed += await kit.Cluster.PushStatusAsync("UP", node);
            }
        }

        await Eventually.UntilAsync(() => kit.Session.EventsHandled >= events + pushed, "the client handled every event");
        await kit.Session.SettledAsync();

        Assert.Equal([3, 2, 2], kit.Cluster.Nodes.Select(node => node.OpenConnections));
    }

    [Fact]
    public async Task A_node_that_restarts_and_is_announced_twice_gets_back_exactly_its_pool()
    {
        await using var kit = await FakeClusterKit.StartAsync(new FakeCluster());
        var node = kit.Cluster[1];
        await kit.Cluster.KillAsync(node);
        await Eventually.UntilAsync(() => !kit.IsUp(node), "the client sees the node down");

        var events = kit.Session.EventsHandled;
        var pushed = 0;
        node.Restart();
        pushed += await kit.Cluster.PushStatusAsync("UP", node);
        pushed += await kit.Cluster.PushStatusAsync("UP", node);
        await Eventually.UntilAsync(() => kit.Session.EventsHandled >= events + pushed && kit.ClientConnections(node) == 2, "the node is back");
        await kit.Session.SettledAsync();

        Assert.Equal([3, 2, 2], kit.Cluster.Nodes.Select(n => n.OpenConnections));
        Assert.Equal(2, kit.Metrics.Gauge("idres.cql.connections", node.EndPoint.ToString()));
    }
}
