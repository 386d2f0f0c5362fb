using IdResolution.Cql.Cluster;
using IdResolution.Cql.Errors;
using IdResolution.Cql.Execution;
using IdResolution.Cql.Tests.Server;

namespace IdResolution.Cql.Tests.Cluster;

/// <summary>Replicas counted per token range against LOCAL_QUORUM, as nodes of a three-node, RF 3 fake cluster die.</summary>
public sealed class ReplicaAvailabilityTests
{
    [Fact]
    public async Task Local_quorum_holds_with_one_node_down_of_three_and_not_with_two()
    {
        var cluster = new FakeCluster();
        await using var bootstrap = await CqlSession.ConnectAsync(cluster.ClientOptions(), TestContext.Current.CancellationToken);
        await bootstrap.ExecuteAsync(new CqlStatement("CREATE KEYSPACE ks WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3}"), TestContext.Current.CancellationToken);
        await using var kit = await FakeClusterKit.StartAsync(cluster, options => options with { Keyspace = "ks" });
        Assert.True(kit.Session.CheckReplicas(CqlConsistency.LocalQuorum).Sufficient);

        await kit.Cluster.KillAsync(kit.Cluster[1]);
        await Eventually.UntilAsync(() => !kit.IsUp(kit.Cluster[1]), "the client sees one node down");
        var one = kit.Session.CheckReplicas(CqlConsistency.LocalQuorum);
        Assert.True(one.Sufficient, one.Describe());

        await kit.Cluster.KillAsync(kit.Cluster[2]);
        await Eventually.UntilAsync(() => !kit.IsUp(kit.Cluster[2]), "the client sees two nodes down");
        var two = kit.Session.CheckReplicas(CqlConsistency.LocalQuorum);
        Assert.False(two.Sufficient);
        Assert.Equal((3, 2, 1), (two.ReplicationFactor, two.RequiredReplicas, two.FewestReplicasUp));
        Assert.Contains("LOCAL_QUORUM needs 2 of 3 replicas in dc1", two.Describe(), StringComparison.Ordinal);
    }
}
