using IdResolution.Cql.Execution;
using IdResolution.Cql.Protocol;
using IdResolution.Cql.Tests.Server;
using Microsoft.Extensions.Logging;

namespace IdResolution.Cql.Tests.Cluster;

/// <summary>
/// Nodes of a three-node fake cluster die, fail their handshakes in every way, stay down for minutes and
/// return: the client reconnects every time, says so once per outage, and counts what it did.
/// </summary>
public sealed class ReconnectionTests
{
    private const int NodeDown = 500;
    private const int NodeUp = 501;
    private const int StillDown = 503;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<HandshakeFault> Faults => new(Enum.GetValues<HandshakeFault>().Where(fault => fault != HandshakeFault.None));

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_node_whose_handshake_fails_is_reconnected_once_it_answers_again_whatever_the_failure(HandshakeFault fault)
    {
        await using var kit = await FakeClusterKit.StartAsync(new FakeCluster(), options => options with { ConnectTimeout = TimeSpan.FromMilliseconds(300) });
        var node = kit.Cluster[2];
        var name = node.EndPoint.ToString();

        // A kill while the pool is still filling can close one connection, see the next open, then close that:
        // truly down, up, down again, which the single DOWN and UP below would miscount.
        await Eventually.UntilAsync(() => kit.ClientConnections(node) == 2, "the pool is full before the kill");
        await kit.Cluster.KillAsync(node);
        await Eventually.UntilAsync(() => !kit.IsUp(node), "the client sees the node down");
        node.HandshakeFault = fault;
        var accepted = node.ConnectionsAccepted;
        await kit.Cluster.RestartAsync(node);
        await Eventually.UntilAsync(() => kit.Metrics.Sum("idres.cql.connection.errors", name) >= 2 && node.ConnectionsAccepted > accepted, "a handshake failed", () => kit.Time.Advance(TimeSpan.FromSeconds(1)));

        node.HandshakeFault = HandshakeFault.None;
        await Eventually.UntilAsync(() => kit.ClientConnections(node) == 2, "the pool is full again", () => kit.Time.Advance(TimeSpan.FromSeconds(1)));

        Assert.True(kit.IsUp(node));
        var down = Assert.Single(kit.Logs.WithId(NodeDown));
        Assert.Equal(LogLevel.Warning, down.Level);
        Assert.Contains(name, down.Message, StringComparison.Ordinal);
        var up = Assert.Single(kit.Logs.WithId(NodeUp));
        Assert.Equal(LogLevel.Information, up.Level);
        Assert.Contains(name, up.Message, StringComparison.Ordinal);
        Assert.True(kit.Metrics.Sum("idres.cql.reconnect.attempts", name) >= 2);
        Assert.Equal(1, kit.Metrics.Gauge("idres.cql.node.up", name));
        Assert.Equal(2, kit.Metrics.Gauge("idres.cql.connections", name));
        Assert.Equal("ok", (await kit.Session.ExecuteAsync(new CqlStatement("SELECT release_version FROM system.local"), Ct)).Count == 1 ? "ok" : "no row");
    }

    [Fact]
    public async Task Two_nodes_down_for_ten_minutes_come_back_without_any_event_and_the_warnings_are_rate_limited()
    {
        await using var kit = await FakeClusterKit.StartAsync(new FakeCluster(), options => options with { MaxReconnectDelay = TimeSpan.FromSeconds(20) });
        var (second, third) = (kit.Cluster[1], kit.Cluster[2]);
        await kit.Cluster.KillAsync(second, announce: false);
        await kit.Cluster.KillAsync(third, announce: false);
        await Eventually.UntilAsync(() => !kit.IsUp(second) && !kit.IsUp(third), "the client sees both nodes down");

        // Ten minutes of refused connections, a minute at a time, each minute letting the attempts due run.
        for (var minute = 0; minute < 10; minute++)
        {
            var errors = kit.Metrics.Sum("idres.cql.connection.errors", second.EndPoint.ToString());
            kit.Time.Advance(TimeSpan.FromMinutes(1));
            await Eventually.UntilAsync(() => kit.Metrics.Sum("idres.cql.connection.errors", second.EndPoint.ToString()) > errors, "an attempt ran in minute " + minute);
        }

        second.Restart();
        third.Restart();
        await Eventually.UntilAsync(() => kit.ClientConnections(second) == 2 && kit.ClientConnections(third) == 2, "both pools are full again", () => kit.Time.Advance(TimeSpan.FromSeconds(5)));

        foreach (var node in new[] { second, third })
        {
            var name = node.EndPoint.ToString();
            Assert.Single(kit.Logs.WithId(NodeDown), entry => entry.Message.Contains(name, StringComparison.Ordinal));
            var stillDown = kit.Logs.WithId(StillDown).Count(entry => entry.Message.Contains(name, StringComparison.Ordinal));
            Assert.InRange(stillDown, 1, 3);
            var up = Assert.Single(kit.Logs.WithId(NodeUp), entry => entry.Message.Contains(name, StringComparison.Ordinal));
            Assert.Matches(@"after (6\d\d|[7-9]\d\d)(\.\d)? s down", up.Message);
        }
    }

    [Fact]
    public async Task A_down_node_that_leaves_the_topology_gets_no_more_attempts_while_another_down_node_still_does()
    {
        await using var kit = await FakeClusterKit.StartAsync(new FakeCluster());
        var (leaving, staying) = (kit.Cluster[1], kit.Cluster[2]);
        await kit.Cluster.KillAsync(leaving, announce: false);
        await kit.Cluster.KillAsync(staying, announce: false);
        await Eventually.UntilAsync(() => !kit.IsUp(leaving) && !kit.IsUp(staying), "the client sees both nodes down");
        await Eventually.UntilAsync(() => Attempts(kit, leaving) > 0 && Attempts(kit, staying) > 0, "both get reconnect attempts", () => kit.Time.Advance(TimeSpan.FromSeconds(1)));

        await kit.Cluster.RemoveAsync(leaving);
        await Eventually.UntilAsync(() => kit.Session.Nodes.All(node => !node.Address.Equals(leaving.EndPoint)), "the client dropped the removed node and its pool", () => kit.Time.Advance(TimeSpan.FromSeconds(1)));
        await kit.Session.SettledAsync();
        var removedAttempts = Attempts(kit, leaving);

        // A window of several of the staying node's attempts, each well past the longest back-off of either node.
        var staying0 = Attempts(kit, staying);
        await Eventually.UntilAsync(() => Attempts(kit, staying) >= staying0 + 5, "the staying node keeps getting attempts", () => kit.Time.Advance(TimeSpan.FromSeconds(1)));

        Assert.Equal(removedAttempts, Attempts(kit, leaving));
        Assert.False(kit.IsUp(staying));
    }

    [Fact]
    public async Task The_reconciliation_sweep_reconnects_a_node_long_before_its_back_off_would()
    {
        await using var kit = await FakeClusterKit.StartAsync(new FakeCluster(), options => options with
        {
            ReconnectBaseDelay = TimeSpan.FromHours(1),
            MaxReconnectDelay = TimeSpan.FromHours(1),
            ReconciliationInterval = TimeSpan.FromSeconds(30),
        });
        var node = kit.Cluster[1];
        await kit.Cluster.KillAsync(node, announce: false);
        await Eventually.UntilAsync(() => !kit.IsUp(node), "the client sees the node down");

        node.Restart();
        await Eventually.UntilAsync(() => kit.ClientConnections(node) == 2, "the sweep reconnected the node", () => kit.Time.Advance(TimeSpan.FromSeconds(10)));

        Assert.True(kit.Time.GetUtcNow() - kit.Time.Start < TimeSpan.FromMinutes(30));
        Assert.Contains(kit.Logs.Entries, entry => entry.EventId == 504 && entry.Message.Contains("reconciliation", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_control_connection_moves_off_a_dead_node_and_the_log_says_where()
    {
        await using var kit = await FakeClusterKit.StartAsync(new FakeCluster());
        var first = kit.Cluster[0];

        await kit.Cluster.KillAsync(first);
        await Eventually.UntilAsync(() => kit.Logs.WithId(511).Count == 1, "the control connection moved", () => kit.Time.Advance(TimeSpan.FromSeconds(1)));

        Assert.Contains(first.EndPoint.ToString(), Assert.Single(kit.Logs.WithId(510)).Message, StringComparison.Ordinal);
        Assert.Equal(1, kit.Cluster[1].Server.Received.Count(r => r.Opcode == CqlOpcode.Register) + kit.Cluster[2].Server.Received.Count(r => r.Opcode == CqlOpcode.Register));

        await kit.Cluster.RestartAsync(first);
        await Eventually.UntilAsync(() => kit.ClientConnections(first) == 2, "the restarted node is used again", () => kit.Time.Advance(TimeSpan.FromSeconds(1)));
    }

    private static long Attempts(FakeClusterKit kit, FakeNode node) => kit.Metrics.Sum("idres.cql.reconnect.attempts", node.EndPoint.ToString());
}
