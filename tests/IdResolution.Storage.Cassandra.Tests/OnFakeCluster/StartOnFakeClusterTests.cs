using IdResolution.Cql.Tests.Server;
using static IdResolution.Storage.Cassandra.Tests.OnFakeCluster.FakeClusterStore;

namespace IdResolution.Storage.Cassandra.Tests.OnFakeCluster;

/// <summary>
/// The store's start on a three-node fake cluster whose nodes apply DDL late and whose peers tables
/// report stale schema versions, and on a one-node cluster with replication 3.
/// </summary>
public sealed class StartOnFakeClusterTests
{
    [Fact]
    public async Task Creating_the_schema_waits_for_every_node_so_no_node_ever_refuses_a_statement_for_a_missing_keyspace_or_table()
    {
        await using var cluster = new FakeCluster { SchemaDelay = TimeSpan.FromMilliseconds(300) };

        await using var store = await OpenAsync(cluster, Options(cluster));

        Assert.Equal([0, 0, 0], cluster.Nodes.Select(node => node.SchemaRefusals));
        Assert.Single(cluster.Nodes.Select(node => node.SchemaVersion).Distinct());
        Assert.True((await store.CheckReadinessAsync(TestContext.Current.CancellationToken)).Ready);
    }

    [Fact]
    public async Task After_the_start_each_node_holds_the_pool_and_the_contact_node_one_more_for_control_and_no_bootstrap_connection_is_left()
    {
        await using var cluster = new FakeCluster();

        await using var store = await OpenAsync(cluster, Options(cluster));

        await Eventually.UntilAsync(() => cluster.Nodes.Select(node => node.OpenConnections).SequenceEqual([3, 2, 2]), "each node holds its pool (and the control connection)");
    }

    [Fact]
    public async Task A_node_that_never_applies_the_schema_fails_the_start_with_its_name_and_the_setting()
    {
        await using var cluster = new FakeCluster();
        cluster[2].SchemaLag = TimeSpan.FromHours(1);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(async () => await OpenAsync(cluster, Options(cluster, schemaAgreementSeconds: 1)));

        Assert.Contains("Cassandra:SchemaAgreementSeconds", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"{cluster[2].EndPoint} {cluster[2].SchemaVersion}", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_one_node_cluster_with_replication_three_refuses_to_start_and_says_how_to_fix_it()
    {
        await using var cluster = new FakeCluster(1);
        var logs = new RecordingLoggerFactory();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(async () => await OpenAsync(cluster, Options(cluster), logs));

        Assert.Contains("keeps 3 replicas in data centre 'dc1', which has 1 node: LOCAL_QUORUM needs 2 replicas there", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Cassandra:ReplicationFactor=1", failure.Message, StringComparison.Ordinal);
        Assert.Empty(cluster[0].Keyspaces());
    }

    [Fact]
    public async Task A_one_node_cluster_with_replication_one_starts_and_is_ready()
    {
        await using var cluster = new FakeCluster(1);

        await using var store = await OpenAsync(cluster, Options(cluster, replicationFactor: 1));

        var readiness = await store.CheckReadinessAsync(TestContext.Current.CancellationToken);
        Assert.True(readiness.Ready, readiness.Description);
    }

    [Fact]
    public async Task Too_few_live_nodes_at_start_are_named_in_a_warning_and_the_start_fails_with_the_replicas_alive_and_required()
    {
        await using var cluster = new FakeCluster();
        var logs = new RecordingLoggerFactory();
        await using (await OpenAsync(cluster, Options(cluster)))
        {
        }

        await cluster.KillAsync(cluster[1]);
        await cluster.KillAsync(cluster[2]);
        var failure = await Assert.ThrowsAsync<Core.Storage.StoreUnavailableException>(async () => await OpenAsync(cluster, Options(cluster, createSchema: false), logs));

        var warning = Assert.Single(logs.WithId(530));
        Assert.Contains("Only 1 of the 3 nodes of data centre 'dc1' are up; LOCAL_QUORUM needs 2", warning.Message, StringComparison.Ordinal);
        Assert.Equal("Cassandra answered Unavailable: 1 replica alive of 2 required for LOCAL_SERIAL.", failure.Message);
    }
}
