using IdResolution.Core.Storage;
using IdResolution.Cql.Errors;
using IdResolution.Cql.Tests.Server;
using static IdResolution.Storage.Cassandra.Tests.OnFakeCluster.FakeClusterStore;

namespace IdResolution.Storage.Cassandra.Tests.OnFakeCluster;

/// <summary>Readiness and error messages of a running store while nodes of a three-node, RF 3 fake cluster die.</summary>
public sealed class OperationOnFakeClusterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Readiness_holds_with_one_node_down_fails_with_two_saying_what_cannot_be_served_and_recovers()
    {
        await using var cluster = new FakeCluster();
        await using var store = await OpenAsync(cluster, Options(cluster));
        var ready = await store.CheckReadinessAsync(Ct);
        Assert.True(ready.Ready, ready.Description);
        Assert.Contains("serves writes and authoritative reads (LOCAL_QUORUM", ready.Description, StringComparison.Ordinal);

        await cluster.KillAsync(cluster[1]);
        await ClientSeesDownAsync(store, cluster[1]);
        await store.CheckHealthAsync(Ct);

        await cluster.KillAsync(cluster[2]);
        await Eventually.UntilAsync(async () => !(await store.CheckReadinessAsync(Ct)).Ready, "readiness fails");
        var failure = await Assert.ThrowsAsync<StoreUnavailableException>(async () => await store.CheckHealthAsync(Ct));
        Assert.Contains("cannot serve writes and authoritative reads (LOCAL_QUORUM, conditional writes and serial reads at LOCAL_SERIAL)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("LOCAL_QUORUM needs 2 of 3 replicas in dc1", failure.Message, StringComparison.Ordinal);

        await cluster.RestartAsync(cluster[1]);
        await Eventually.UntilAsync(async () => (await store.CheckReadinessAsync(Ct)).Ready, "readiness returns with a node back");
    }

    [Fact]
    public async Task Readiness_fails_when_serial_reads_cannot_be_served_though_reads_at_the_consistency_can()
    {
        await using var cluster = new FakeCluster();
        await using var store = await OpenAsync(cluster, Options(cluster));
        Assert.True((await store.CheckReadinessAsync(Ct)).Ready);

        // As with SERIAL across two data centres while the other one is unreachable: LOCAL_QUORUM still answers.
        foreach (var node in cluster.Nodes)
        {
            node.Override = request => IsExecutionOf(node, request, CassandraStatements.Health) && request.ExecutedAt == CqlConsistency.LocalSerial
                ? ServerReply.Unavailable(CqlConsistency.LocalSerial, 2, 1)
                : null;
        }

        var readiness = await store.CheckReadinessAsync(Ct);

        Assert.False(readiness.Ready);
        Assert.Contains("a read at LOCAL_SERIAL failed: Cassandra answered Unavailable: 1 replica alive of 2 required for LOCAL_SERIAL", readiness.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unavailable_answer_says_how_many_replicas_were_alive_and_how_many_were_required()
    {
        await using var cluster = new FakeCluster();
        await using var store = await OpenAsync(cluster, Options(cluster));
        await cluster.KillAsync(cluster[1]);
        await cluster.KillAsync(cluster[2]);
        await ClientSeesDownAsync(store, cluster[1], cluster[2]);

        var failure = await Assert.ThrowsAsync<StoreUnavailableException>(async () => await store.GetAsync("88.709.911/A", Ct));

        Assert.Equal("Cassandra answered Unavailable: 1 replica alive of 2 required for LOCAL_QUORUM.", failure.Message);
    }

    [Fact]
    public async Task A_conditional_write_whose_connection_drops_is_reported_as_a_dropped_connection_with_an_unknown_outcome()
    {
        await using var cluster = new FakeCluster();
        await using var store = await OpenAsync(cluster, Options(cluster));
        foreach (var node in cluster.Nodes)
        {
            node.Override = request => IsExecutionOf(node, request, HandleInsert) ? ServerReply.Drop : null;
        }

        var failure = await Assert.ThrowsAsync<StoreUnavailableException>(async () =>
            await store.WriteAsync([StoreWrite.Create("88.709.911/ITEM-1", Records.Url("88.709.911/item-1", 1))], Ct));

        Assert.Matches(@"^The write of '88\.709\.911/ITEM-1' is not confirmed: the connection to 127\.0\.0\.[123]:\d+ closed while the write was in flight; its outcome is unknown and it is safe to retry\.$", failure.Message);
        Assert.DoesNotContain("timed out", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_conditional_write_timed_out_once_and_not_landed_is_sent_again_and_applied()
    {
        await using var cluster = new FakeCluster();
        await using var store = await OpenAsync(cluster, Options(cluster));
        var inserts = AnswerExecutions(cluster, HandleInsert, n => n == 1 ? CasTimeout : null);

        var result = Assert.Single(await store.WriteAsync([StoreWrite.Create("88.709.911/ITEM-1", Records.Url("88.709.911/item-1", 1))], Ct));

        Assert.Equal(StoreWriteResult.Applied, result);
        Assert.Equal(2, inserts.Count);
    }

    [Fact]
    public async Task A_conditional_write_that_times_out_every_time_is_unavailable_after_the_bounded_tries_saying_so()
    {
        await using var cluster = new FakeCluster();
        await using var store = await OpenAsync(cluster, Options(cluster));
        var inserts = AnswerExecutions(cluster, HandleInsert, _ => CasTimeout);

        var failure = await Assert.ThrowsAsync<StoreUnavailableException>(async () =>
            await store.WriteAsync([StoreWrite.Create("88.709.911/ITEM-1", Records.Url("88.709.911/item-1", 1))], Ct));

        Assert.Equal(
            "The write of '88.709.911/ITEM-1' is not confirmed: Cassandra timed out the write (0 of 2 replicas acknowledged a CAS write at LOCAL_SERIAL); its outcome is unknown and it is safe to retry.",
            failure.Message);
        Assert.Equal(1 + CassandraHandleStore.NotLandedRetries, inserts.Count);
    }

    [Fact]
    public async Task A_conditional_write_no_node_ran_is_reported_as_not_sent_and_safe_to_retry()
    {
        await using var cluster = new FakeCluster();
        await using var store = await OpenAsync(cluster, Options(cluster));

        // Every node restarted and forgot its prepared statements; preparing the handle's write again drops the connection.
        foreach (var node in cluster.Nodes)
        {
            await cluster.KillAsync(node);
            await cluster.RestartAsync(node);
        }

        await Eventually.UntilAsync(
            async () => (await store.CheckReadinessAsync(Ct)) is { Ready: true } ready && !ready.Details["nodes"].ToString()!.Contains("down", StringComparison.Ordinal),
            "the client sees every node up again");
        var prepares = 0;
        foreach (var node in cluster.Nodes)
        {
            node.Override = request =>
            {
                if (request.Opcode != Cql.Protocol.CqlOpcode.Prepare || !request.QueryText.StartsWith(HandleInsert, StringComparison.Ordinal))
                {
                    return null;
                }

                Interlocked.Increment(ref prepares);
                return ServerReply.Drop;
            };
        }

        var failure = await Assert.ThrowsAsync<StoreUnavailableException>(async () =>
            await store.WriteAsync([StoreWrite.Create("88.709.911/ITEM-1", Records.Url("88.709.911/item-1", 1))], Ct));

        Assert.Matches(
            @"^The request was not sent to 127\.0\.0\.[123]:\d+, so nothing reached Cassandra: The statement was not run: .+ The conditional write of 88\.709\.911/ITEM-1 did not happen and is safe to retry\.$",
            failure.Message);
        Assert.DoesNotContain("outcome is unknown", failure.Message, StringComparison.Ordinal);
        Assert.Equal(3, Volatile.Read(ref prepares));
    }

    [Fact]
    public async Task A_plain_write_that_times_out_on_every_node_says_how_many_replicas_acknowledged_it()
    {
        await using var cluster = new FakeCluster();
        await using var store = await OpenAsync(cluster, Options(cluster));
        var listings = AnswerExecutions(cluster, "INSERT INTO " + CassandraSchema.ListingTable, _ => ServerReply.WriteTimeout(Cql.Errors.CqlConsistency.LocalQuorum, 1, 2, "SIMPLE"));

        var failure = await Assert.ThrowsAsync<StoreUnavailableException>(async () =>
            await store.WriteAsync([StoreWrite.Create("88.709.911/ITEM-1", Records.Url("88.709.911/item-1", 1))], Ct));

        Assert.Equal("Cassandra answered Write_timeout: 1 of 2 replicas acknowledged a SIMPLE write at LOCAL_QUORUM in time.", failure.Message);

        // The listing row is idempotent, so every node was tried, once each.
        Assert.Equal(3, listings.Count);
        Assert.Equal(3, listings.Nodes.Distinct().Count());
    }

    [Fact]
    public async Task An_idempotent_read_that_times_out_is_answered_by_another_node()
    {
        await using var cluster = new FakeCluster();
        await using var store = await OpenAsync(cluster, Options(cluster));
        var reads = AnswerExecutions(cluster, CassandraStatements.SelectRecord, n => n == 1 ? ServerReply.ReadTimeout(Cql.Errors.CqlConsistency.LocalQuorum, 1, 2, dataPresent: false) : null);

        // The fake cluster keeps no rows: what matters is that the read is answered, not refused as unavailable.
        Assert.Null(await store.GetAsync("88.709.911/ITEM-1", Ct));
        Assert.Equal(2, reads.Count);
        Assert.NotEqual(reads.Nodes[0], reads.Nodes[1]);
    }

    private static ServerReply CasTimeout => ServerReply.WriteTimeout(CqlConsistency.LocalSerial, 0, 2, "CAS");

    private const string HandleInsert = "INSERT INTO " + CassandraSchema.HandlesTable;

    /// <summary>
    /// The n-th execution (from 1) of a statement starting with <paramref name="cql"/> that the cluster receives is
    /// answered as <paramref name="reply"/> says, or normally when it says null; the result lists the nodes they went to.
    /// </summary>
    private static Executions AnswerExecutions(FakeCluster cluster, string cql, Func<int, ServerReply?> reply)
    {
        var executions = new Executions();
        foreach (var node in cluster.Nodes)
        {
            node.Override = request => IsExecutionOf(node, request, cql) ? reply(executions.Add(node)) : null;
        }

        return executions;
    }

    /// <summary>An execution of a prepared statement starting with <paramref name="cql"/>, not its preparation.</summary>
    private static bool IsExecutionOf(FakeNode node, ReceivedRequest request, string cql) =>
        request.Opcode == Cql.Protocol.CqlOpcode.Execute && node.StatementOf(request) is { } statement && statement.StartsWith(cql, StringComparison.Ordinal);

    private sealed class Executions
    {
        private readonly List<FakeNode> _nodes = [];

        public int Count
        {
            get
            {
                lock (_nodes)
                {
                    return _nodes.Count;
                }
            }
        }

        public IReadOnlyList<FakeNode> Nodes
        {
            get
            {
                lock (_nodes)
                {
                    return [.. _nodes];
                }
            }
        }

        /// <returns>Which execution this is, from 1.</returns>
        public int Add(FakeNode node)
        {
            lock (_nodes)
            {
                _nodes.Add(node);
                return _nodes.Count;
            }
        }
    }
}
