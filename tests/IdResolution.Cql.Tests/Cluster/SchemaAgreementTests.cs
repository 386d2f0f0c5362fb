using IdResolution.Cql.Execution;
using IdResolution.Cql.Tests.Server;

namespace IdResolution.Cql.Tests.Cluster;

/// <summary>
/// Schema agreement on a fake cluster whose peers tables report stale versions (as a 4.0 cluster was seen
/// to): only asking each node for its own version shows when the change has really reached it.
/// </summary>
public sealed class SchemaAgreementTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<FakeClusterKit> StartAsync(FakeCluster cluster) =>
        FakeClusterKit.StartAsync(cluster, options => options with { TimeProvider = TimeProvider.System });

    [Fact]
    public async Task Agreement_comes_only_once_every_live_node_reports_the_new_version_itself()
    {
        await using var kit = await StartAsync(new FakeCluster { SchemaDelay = TimeSpan.FromMilliseconds(500) });

        await kit.Session.ExecuteAsync(new CqlStatement("CREATE KEYSPACE ks1 WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3}"), Ct);
        var agreement = await kit.Session.WaitForSchemaAgreementAsync(TimeSpan.FromSeconds(20), Ct);

        Assert.True(agreement.Agreed, agreement.Describe());
        Assert.Single(kit.Cluster.Nodes.Select(node => node.SchemaVersion).Distinct());
        Assert.Equal(3, agreement.Nodes.Count(node => node.Version == kit.Cluster[0].SchemaVersion));
        Assert.Contains(kit.Logs.WithId(521), entry => entry.Message.Contains(kit.Cluster[2].EndPoint.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_node_that_never_applies_the_change_is_named_when_the_deadline_passes()
    {
        await using var kit = await StartAsync(new FakeCluster());
        var lagging = kit.Cluster[2];
        lagging.SchemaLag = TimeSpan.FromHours(1);

        await kit.Session.ExecuteAsync(new CqlStatement("CREATE KEYSPACE ks2 WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3}"), Ct);
        var agreement = await kit.Session.WaitForSchemaAgreementAsync(TimeSpan.FromMilliseconds(600), Ct);

        Assert.False(agreement.Agreed);
        Assert.Equal(2, agreement.Nodes.Select(node => node.Version).Distinct().Count());
        Assert.Contains($"{lagging.EndPoint} {lagging.SchemaVersion}", agreement.Describe(), StringComparison.Ordinal);
        Assert.Contains(lagging.EndPoint.ToString(), Assert.Single(kit.Logs.WithId(522)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_down_node_is_left_out_and_named_and_the_live_ones_agree()
    {
        await using var kit = await StartAsync(new FakeCluster());
        var dead = kit.Cluster[1];
        await kit.Cluster.KillAsync(dead);
        await Eventually.UntilAsync(() => !kit.IsUp(dead), "the client sees the node down");

        await kit.Session.ExecuteAsync(new CqlStatement("CREATE KEYSPACE ks3 WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3}"), Ct);
        var agreement = await kit.Session.WaitForSchemaAgreementAsync(TimeSpan.FromSeconds(20), Ct);

        Assert.True(agreement.Agreed, agreement.Describe());
        Assert.Contains($"{dead.EndPoint} left out (down)", agreement.Describe(), StringComparison.Ordinal);
    }
}
