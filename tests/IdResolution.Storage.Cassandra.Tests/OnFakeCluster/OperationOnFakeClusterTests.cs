using System.Runtime.CompilerServices;
using IdResolution.Core.Storage;
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
            node.Override = request => IsHandleInsert(node, request) ? ServerReply.Drop : null;
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
        var inserts = AnswerHandleInserts(cluster, n => n == 1 ? CasTimeout : null);

        var result = Assert.Single(await store.WriteAsync([StoreWrite.Create("88.709.911/ITEM-1", Records.Url("88.709.911/item-1", 1))], Ct));

        Assert.Equal(StoreWriteResult.Applied, result);
        Assert.Equal(2, Volatile.Read(ref inserts.Value));
    }

    [Fact]
    public async Task A_conditional_write_that_times_out_every_time_is_unavailable_after_the_bounded_tries_saying_so()
    {
        await using var cluster = new FakeCluster();
        await using var store = await OpenAsync(cluster, Options(cluster));
        var inserts = AnswerHandleInserts(cluster, _ => CasTimeout);

        var failure = await Assert.ThrowsAsync<StoreUnavailableException>(async () =>
            await store.WriteAsync([StoreWrite.Create("88.709.911/ITEM-1", Records.Url("88.709.911/item-1", 1))], Ct));

        Assert.Equal(
            "The write of '88.709.911/ITEM-1' is not confirmed: Cassandra timed out the write (0 of 2 replicas acknowledged a CAS write at LOCAL_SERIAL); its outcome is unknown and it is safe to retry.",
            failure.Message);
        Assert.Equal(1 + CassandraHandleStore.NotLandedRetries, Volatile.Read(ref inserts.Value));
    }

    private static ServerReply CasTimeout => ServerReply.WriteTimeout(Cql.Errors.CqlConsistency.LocalSerial, 0, 2, "CAS");

    /// <summary>
    /// The n-th conditional write of a handle the cluster receives (from 1) is answered as <paramref name="reply"/>
    /// says, or normally when it says null; the box counts them.
    /// </summary>
    private static StrongBox<int> AnswerHandleInserts(FakeCluster cluster, Func<int, ServerReply?> reply)
    {
        var count = new StrongBox<int>();
        foreach (var node in cluster.Nodes)
        {
            node.Override = request => IsHandleInsert(node, request) ? reply(Interlocked.Increment(ref count.Value)) : null;
        }

        return count;
    }

    /// <summary>The conditional write of a handle itself, not its preparation.</summary>
    private static bool IsHandleInsert(FakeNode node, ReceivedRequest request) =>
        request.Opcode == Cql.Protocol.CqlOpcode.Execute && node.StatementOf(request) is { } cql && cql.StartsWith("INSERT INTO handles", StringComparison.Ordinal);
}
