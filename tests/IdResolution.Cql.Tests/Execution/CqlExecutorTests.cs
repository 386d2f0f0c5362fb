using IdResolution.Cql.Errors;
using IdResolution.Cql.Execution;
using IdResolution.Cql.Protocol.Requests;
using IdResolution.Cql.Protocol.Responses;
using IdResolution.Cql.Routing;
using static IdResolution.Cql.Tests.Execution.Results;

namespace IdResolution.Cql.Tests.Execution;

public sealed class CqlExecutorTests
{
    private const string Select = "SELECT record FROM handles WHERE key = ?";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static CqlResponse Answer(ICqlRequest request) => request switch
    {
        PrepareRequest => Prepared(7, ("key", Text)),
        _ => Rows([("record", Text)], null, [Utf8("r1")]),
    };

    [Fact]
    public async Task A_statement_without_values_is_sent_as_text_and_one_with_values_is_prepared_once_then_executed_by_id()
    {
        var node = new ScriptedNode("a", Answer);
        var executor = new CqlExecutor(new ScriptedPlanner(node), new CqlExecutionOptions());

        await executor.ExecuteAsync(new CqlStatement("SELECT release_version FROM system.local"), Ct);
        for (var i = 0; i < 3; i++)
        {
            var rows = await executor.ExecuteAsync(new CqlStatement(Select, "88.709.911/A"), Ct);
            Assert.Equal("r1", rows[0].Get<string>("record"));
        }

        Assert.Equal(1, node.Count<QueryRequest>());
        Assert.Equal(1, node.Count<PrepareRequest>());
        var execute = Assert.IsType<ExecuteRequest>(node.Received.Last());
        Assert.Equal([7], execute.PreparedId.ToArray());
        Assert.Equal(CqlConsistency.LocalQuorum, execute.Parameters.Consistency);
        Assert.Equal(Utf8("88.709.911/A"), Assert.Single(execute.Parameters.Values!).Bytes.ToArray());
    }

    [Fact]
    public async Task A_statement_goes_to_the_replicas_of_its_partition_key_token()
    {
        var planner = new ScriptedPlanner(new ScriptedNode("a", Answer));
        var executor = new CqlExecutor(planner, new CqlExecutionOptions());

        await executor.ExecuteAsync(new CqlStatement(Select, "88.709.911/A"), Ct);

        Assert.Contains(Murmur3Partitioner.GetToken(Utf8("88.709.911/A")), planner.Tokens);
    }

    [Fact]
    public async Task A_node_that_forgot_the_statement_is_told_again_and_the_statement_runs()
    {
        var unprepared = 1;
        var node = new ScriptedNode("a", request => request is ExecuteRequest && Interlocked.Exchange(ref unprepared, 0) == 1
            ? throw new CqlUnpreparedException("forgotten", new byte[] { 7 })
            : Answer(request));
        var executor = new CqlExecutor(new ScriptedPlanner(node), new CqlExecutionOptions());

        var rows = await executor.ExecuteAsync(new CqlStatement(Select, "88.709.911/A"), Ct);

        Assert.Equal("r1", rows[0].Get<string>("record"));
        Assert.Equal(2, node.Count<PrepareRequest>());
        Assert.Equal(2, node.Count<ExecuteRequest>());
    }

    [Fact]
    public async Task An_idempotent_read_that_timed_out_is_tried_on_the_next_node()
    {
        var slow = new ScriptedNode("a", request => request is ExecuteRequest ? throw new CqlReadTimeoutException("timeout", CqlConsistency.LocalQuorum, 1, 2, false) : Answer(request));
        var healthy = new ScriptedNode("b", Answer);
        var executor = new CqlExecutor(new ScriptedPlanner(slow, healthy), new CqlExecutionOptions());

        var rows = await executor.ExecuteAsync(new CqlStatement(Select, "88.709.911/A") { IsIdempotent = true }, Ct);

        Assert.Equal("r1", rows[0].Get<string>("record"));
        Assert.Equal(1, healthy.Count<ExecuteRequest>());
    }

    [Fact]
    public async Task A_write_that_is_not_idempotent_is_not_retried_after_a_timeout()
    {
        var slow = new ScriptedNode("a", request => request is ExecuteRequest ? throw new CqlWriteTimeoutException("timeout", CqlConsistency.LocalQuorum, 1, 2, "SIMPLE") : Answer(request));
        var other = new ScriptedNode("b", Answer);
        var executor = new CqlExecutor(new ScriptedPlanner(slow, other), new CqlExecutionOptions());

        await Assert.ThrowsAsync<CqlWriteTimeoutException>(() => executor.ExecuteAsync(new CqlStatement(Select, "88.709.911/A"), Ct));
        Assert.Equal(0, other.Count<ExecuteRequest>());
    }

    [Fact]
    public async Task A_conditional_write_that_timed_out_is_never_retried_even_when_marked_idempotent()
    {
        var slow = new ScriptedNode("a", request => request is ExecuteRequest ? throw new CqlWriteTimeoutException("timeout", CqlConsistency.Serial, 0, 2, "CAS") : Answer(request));
        var other = new ScriptedNode("b", Answer);
        var executor = new CqlExecutor(new ScriptedPlanner(slow, other), new CqlExecutionOptions());

        var failure = await Assert.ThrowsAsync<CqlWriteTimeoutException>(() => executor.ExecuteAsync(new CqlStatement(Select, "88.709.911/A") { IsIdempotent = true }, Ct));
        Assert.Equal("CAS", failure.WriteType);
        Assert.Equal(0, other.Count<ExecuteRequest>());
    }

    [Fact]
    public async Task A_conditional_write_that_was_never_sent_is_tried_on_the_next_node_and_one_lost_in_flight_is_not()
    {
        var closed = new ScriptedNode("a", request => request is ExecuteRequest ? throw new CqlConnectionException("No connection to a is open") { NotSent = true } : Answer(request));
        var other = new ScriptedNode("b", Answer);
        var executor = new CqlExecutor(new ScriptedPlanner(closed, other), new CqlExecutionOptions());

        await executor.ExecuteAsync(new CqlStatement(Select + " IF EXISTS", "88.709.911/A"), Ct);
        Assert.Equal(1, other.Count<ExecuteRequest>());

        var dropping = new ScriptedNode("c", request => request is ExecuteRequest ? throw new CqlConnectionException("c closed the connection.") : Answer(request));
        var untouched = new ScriptedNode("d", Answer);
        var lost = await Assert.ThrowsAsync<CqlConnectionException>(() =>
            new CqlExecutor(new ScriptedPlanner(dropping, untouched), new CqlExecutionOptions()).ExecuteAsync(new CqlStatement(Select + " IF EXISTS", "88.709.911/A"), Ct));
        Assert.False(lost.NotSent);
        Assert.Equal(0, untouched.Count<ExecuteRequest>());
    }

    [Fact]
    public async Task A_conditional_write_refused_as_unprepared_by_a_node_whose_connection_then_drops_runs_on_another_node()
    {
        var prepares = 0;
        var forgetful = new ScriptedNode("a", request => request switch
        {
            ExecuteRequest => throw new CqlUnpreparedException("forgotten", new byte[] { 7 }),
            PrepareRequest when Interlocked.Increment(ref prepares) > 1 => throw new CqlConnectionException("a closed the connection."),
            _ => Answer(request),
        });
        var other = new ScriptedNode("b", Answer);
        var executor = new CqlExecutor(new ScriptedPlanner(forgetful, other), new CqlExecutionOptions());

        await executor.ExecuteAsync(new CqlStatement(Select + " IF EXISTS", "88.709.911/A"), Ct);

        // The forgetful node never ran the statement, so it may run elsewhere though it is not idempotent.
        Assert.Equal(2, forgetful.Count<PrepareRequest>());
        Assert.Equal(1, other.Count<ExecuteRequest>());
    }

    [Fact]
    public async Task Unavailable_is_tried_elsewhere_for_any_statement_because_the_coordinator_did_not_run_it()
    {
        var failing = new ScriptedNode("a", request => request is ExecuteRequest ? throw new CqlUnavailableException("down", CqlConsistency.LocalQuorum, 2, 1) : Answer(request));
        var other = new ScriptedNode("b", Answer);
        var executor = new CqlExecutor(new ScriptedPlanner(failing, other), new CqlExecutionOptions());

        await executor.ExecuteAsync(new CqlStatement(Select, "88.709.911/A"), Ct);

        Assert.Equal(1, other.Count<ExecuteRequest>());
    }

    [Fact]
    public async Task Retries_stop_at_the_configured_count()
    {
        var nodes = Enumerable.Range(0, 5).Select(i => new ScriptedNode($"n{i}", request => request is ExecuteRequest ? throw new CqlOverloadedException("busy") : Answer(request))).ToArray();
        var executor = new CqlExecutor(new ScriptedPlanner(nodes), new CqlExecutionOptions { MaxRetries = 2 });

        await Assert.ThrowsAsync<CqlOverloadedException>(() => executor.ExecuteAsync(new CqlStatement(Select, "88.709.911/A"), Ct));

        Assert.Equal(3, nodes.Sum(node => node.Count<ExecuteRequest>()));
    }

    [Fact]
    public async Task When_no_node_is_left_the_last_nodes_own_failure_is_what_the_caller_sees()
    {
        var only = new ScriptedNode("a", request => request is ExecuteRequest ? throw new CqlOverloadedException("busy") : Answer(request));
        var executor = new CqlExecutor(new ScriptedPlanner(only), new CqlExecutionOptions());

        var failure = await Assert.ThrowsAsync<CqlOverloadedException>(() => executor.ExecuteAsync(new CqlStatement(Select, "88.709.911/A"), Ct));

        Assert.Equal("busy", failure.Message);
        Assert.Equal(1, only.Count<ExecuteRequest>());
    }

    [Fact]
    public async Task A_statement_is_prepared_on_the_next_node_when_the_first_cannot_be_reached()
    {
        var unreachable = new ScriptedNode("a", _ => throw new CqlConnectionException("connection refused"));
        var reachable = new ScriptedNode("b", Answer);
        var executor = new CqlExecutor(new ScriptedPlanner(unreachable, reachable), new CqlExecutionOptions());

        var rows = await executor.ExecuteAsync(new CqlStatement(Select, "88.709.911/A") { IsIdempotent = true }, Ct);

        Assert.Equal("r1", rows[0].Get<string>("record"));
        Assert.Equal(1, reachable.Count<PrepareRequest>());
    }

    [Fact]
    public async Task All_pages_are_read_in_order_each_request_carrying_the_previous_paging_state()
    {
        var node = new ScriptedNode("a", request => request switch
        {
            PrepareRequest => Prepared(9, ("prefix", Text)),
            ExecuteRequest { Parameters.PagingState: null } => Rows([("key", Text)], [1], [Utf8("a")], [Utf8("b")]),
            ExecuteRequest { Parameters.PagingState: { } state } when state.Span[0] == 1 => Rows([("key", Text)], [2]),
            _ => Rows([("key", Text)], null, [Utf8("c")]),
        });
        var executor = new CqlExecutor(new ScriptedPlanner(node), new CqlExecutionOptions());

        var keys = new List<string>();
        await foreach (var row in executor.ExecuteAllPagesAsync(new CqlStatement("SELECT key FROM listing WHERE prefix = ?", "88.709.911") { PageSize = 2 }, Ct))
        {
            keys.Add(row.Get<string>("key"));
        }

        Assert.Equal(["a", "b", "c"], keys);
        Assert.Equal(3, node.Count<ExecuteRequest>());
        Assert.All(node.Received.OfType<ExecuteRequest>(), request => Assert.Equal(2, request.Parameters.PageSize));
    }

    [Fact]
    public async Task A_conditional_write_that_was_not_applied_returns_the_current_row()
    {
        var node = new ScriptedNode("a", request => request switch
        {
            PrepareRequest => Prepared(3, ("key", Text), ("version", BigInt)),
            _ => Rows([("[applied]", Results.Boolean), ("version", BigInt)], null, [new byte[] { 0 }, new byte[] { 0, 0, 0, 0, 0, 0, 0, 42 }]),
        });
        var executor = new CqlExecutor(new ScriptedPlanner(node), new CqlExecutionOptions());

        var result = await executor.ExecuteAsync(new CqlStatement("UPDATE handles SET version = ? WHERE key = ? IF version = 41", "88.709.911/A", 43L), Ct);

        Assert.False(result.WasApplied);
        Assert.Equal(42L, result[0].Get<long>("version"));
        var execute = Assert.IsType<ExecuteRequest>(node.Received.Last());
        Assert.Equal(CqlConsistency.LocalSerial, execute.Parameters.SerialConsistency);
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 43], execute.Parameters.Values![1].Bytes.ToArray());
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_for_its_bind_marker_is_refused_before_anything_is_sent()
    {
        var node = new ScriptedNode("a", Answer);
        var executor = new CqlExecutor(new ScriptedPlanner(node), new CqlExecutionOptions());

        await Assert.ThrowsAsync<ArgumentException>(() => executor.ExecuteAsync(new CqlStatement(Select, 12), Ct));
        Assert.Equal(0, node.Count<ExecuteRequest>());
    }

    [Fact]
    public async Task A_batch_prepares_its_statements_with_values_and_sends_text_for_the_others_in_one_request()
    {
        var node = new ScriptedNode("a", request => request is PrepareRequest ? Prepared(5, ("key", Text)) : new VoidResult());
        var executor = new CqlExecutor(new ScriptedPlanner(node), new CqlExecutionOptions());

        await executor.ExecuteBatchAsync(new CqlBatch([new CqlStatement(Select, "88.709.911/A"), new CqlStatement("TRUNCATE t")], logged: false), Ct);

        var batch = Assert.IsType<BatchRequest>(node.Received.Last());
        Assert.Equal(CqlBatchType.Unlogged, batch.Type);
        Assert.Equal([5], batch.Statements[0].PreparedId.ToArray());
        Assert.Equal(Utf8("88.709.911/A"), Assert.Single(batch.Statements[0].Values).Bytes.ToArray());
        Assert.Equal("TRUNCATE t", batch.Statements[1].Query);
        Assert.Equal(1, node.Count<PrepareRequest>());
    }
}
