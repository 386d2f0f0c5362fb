using IdResolution.Cql.Errors;
using IdResolution.Cql.Protocol;
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

    [Fact]
    public async Task A_control_connection_that_opens_but_cannot_read_the_topology_is_closed_not_left_open()
    {
        await using var kit = await FakeClusterKit.StartAsync(new FakeCluster());
        foreach (var node in new[] { kit.Cluster[1], kit.Cluster[2] })
        {
            var failOnce = 1;
            node.Override = request => request.Opcode == CqlOpcode.Query && request.QueryText.Contains("system.peers_v2", StringComparison.Ordinal) && Interlocked.Exchange(ref failOnce, 0) == 1
                ? ServerReply.Error(CqlErrorCode.ServerError, "node still starting")
                : null;
        }

        await kit.Cluster.KillAsync(kit.Cluster[0]);
        await Eventually.UntilAsync(() => kit.Logs.WithId(511).Count == 1, "the control connection moved", () => kit.Time.Advance(TimeSpan.FromSeconds(1)));
        await kit.Session.SettledAsync();

        Assert.Equal(5, kit.Cluster[1].OpenConnections + kit.Cluster[2].OpenConnections);
    }
}
