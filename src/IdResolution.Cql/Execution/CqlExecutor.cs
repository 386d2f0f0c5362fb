using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using IdResolution.Cql.Errors;
using IdResolution.Cql.Protocol;
using IdResolution.Cql.Protocol.Requests;
using IdResolution.Cql.Protocol.Responses;
using IdResolution.Cql.Routing;
using Polly;
using Polly.Retry;

namespace IdResolution.Cql.Execution;

/// <summary>
/// Runs statements on the nodes a planner offers: prepares statements with values once (and again on
/// a node that has forgotten them), routes them to a replica of their partition, and moves to the
/// next node only when that cannot apply a write twice.
/// </summary>
internal sealed class CqlExecutor
{
    private static readonly ResiliencePropertyKey<bool> IdempotentKey = new("cql.idempotent");
    private static readonly ResiliencePropertyKey<int> NodesKey = new("cql.nodes");
    private readonly ConcurrentDictionary<string, Task<PreparedResult>> _prepared = new(StringComparer.Ordinal);
    private readonly IQueryPlanner _planner;
    private readonly CqlExecutionOptions _options;
    private readonly ResiliencePipeline _retry;

    public CqlExecutor(IQueryPlanner planner, CqlExecutionOptions options)
    {
        _planner = planner;
        _options = options;
        _retry = options.MaxRetries <= 0 ? ResiliencePipeline.Empty : new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,

                // The next attempt goes to another node, which has no reason to be slow because this one was.
                Delay = TimeSpan.Zero,
                // Only while another node is left: the caller should see the last node's own failure.
                ShouldHandle = args => ValueTask.FromResult(
                    args.AttemptNumber + 1 < args.Context.Properties.GetValue(NodesKey, 0)
                    && args.Outcome.Exception is { } failure
                    && MayRetryElsewhere(failure, args.Context.Properties.GetValue(IdempotentKey, false))),
            })
            .Build();
    }

    public async Task<CqlRowSet> ExecuteAsync(CqlStatement statement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var prepared = statement.Values.Count == 0 ? null : await PreparedAsync(statement.Cql, null, cancellationToken);

        // Bound once: the routing token and every attempt reuse the same encoded values.
        var values = prepared is null ? null : Bound(statement, prepared);
        var token = prepared is null ? (long?)null : RoutingToken(prepared, values!);
        return await RunAsync(token, statement.IsIdempotent, (channel, ct) => SendOnAsync(channel, statement, prepared, values, ct), cancellationToken);
    }

    /// <summary>Prepares a statement now (a mistake in it then fails here, not on first use).</summary>
    public async Task PrepareAsync(string cql, CancellationToken cancellationToken) => await PreparedAsync(cql, null, cancellationToken);

    /// <summary>A batch goes to the replicas of its first statement's partition, the one it most likely touches.</summary>
    public async Task<CqlRowSet> ExecuteBatchAsync(CqlBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var prepared = new PreparedResult?[batch.Statements.Count];
        var values = new CqlValue[batch.Statements.Count][];
        for (var i = 0; i < prepared.Length; i++)
        {
            prepared[i] = batch.Statements[i].Values.Count == 0 ? null : await PreparedAsync(batch.Statements[i].Cql, null, cancellationToken);
            values[i] = prepared[i] is { } p ? Bound(batch.Statements[i], p) : [];
        }

        var token = prepared[0] is { } first ? RoutingToken(first, values[0]) : null;
        return await RunAsync(token, batch.IsIdempotent, (channel, ct) => SendBatchOnAsync(channel, batch, prepared, values, ct), cancellationToken);
    }

    /// <summary>Every row of every page, asking for the next page only when the current one is used up.</summary>
    public async IAsyncEnumerable<CqlRow> ExecuteAllPagesAsync(CqlStatement statement, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var page = await ExecuteAsync(statement, cancellationToken);
        while (true)
        {
            foreach (var row in page)
            {
                yield return row;
            }

            // The flag, never the row count, says whether there is more (a page may be short, or empty).
            if (!page.HasMorePages)
            {
                yield break;
            }

            page = await ExecuteAsync(statement.WithPagingState(page.PagingState), cancellationToken);
        }
    }

    /// <summary>
    /// Failures after which the statement may run on another node. Unavailable, Overloaded and
    /// bootstrapping mean the coordinator did not run it at all; timeouts and lost connections leave
    /// that unknown, so only an idempotent statement is tried again, unless the request was never
    /// written to a connection at all. A conditional write that timed out is never retried: it may yet
    /// be applied, and only a serial read can tell.
    /// </summary>
    internal static bool MayRetryElsewhere(Exception failure, bool idempotent) => failure switch
    {
        CqlUnavailableException or CqlOverloadedException or CqlBootstrappingException => true,
        CqlWriteTimeoutException timeout => idempotent && timeout.WriteType != "CAS",
        CqlCasWriteUnknownException => false,
        CqlConnectionException { NotSent: true } => true,
        CqlReadTimeoutException or CqlConnectionException or TimeoutException => idempotent,
        _ => false,
    };

    private async Task<CqlRowSet> RunAsync(long? token, bool idempotent, Func<ICqlRequestChannel, CancellationToken, Task<CqlRowSet>> send, CancellationToken cancellationToken)
    {
        var nodes = _planner.Plan(token).ToList();
        if (nodes.Count == 0)
        {
            throw new CqlNoHostAvailableException("No node of the local data centre is up.");
        }

        // Boxed on purpose: every attempt must advance the same enumerator, not a copy of a struct one.
        using IEnumerator<ICqlRequestChannel> plan = nodes.GetEnumerator();
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(IdempotentKey, idempotent);
        context.Properties.Set(NodesKey, nodes.Count);
        try
        {
            return await _retry.ExecuteAsync(
                async (context, state) =>
                {
                    var (plan, send) = state;
                    var channel = plan.MoveNext() ? plan.Current : throw new CqlNoHostAvailableException("No node is left to try the statement on.");
                    return await send(channel, context.CancellationToken);
                },
                context,
                (Plan: plan, Send: send));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async Task<CqlRowSet> SendBatchOnAsync(ICqlRequestChannel channel, CqlBatch batch, PreparedResult?[] prepared, CqlValue[][] values, CancellationToken cancellationToken)
    {
        try
        {
            return ToRowSet(await channel.SendAsync(BatchRequestOf(batch, prepared, values), _options.RequestTimeout, cancellationToken));
        }
        catch (CqlUnpreparedException)
        {
            for (var i = 0; i < prepared.Length; i++)
            {
                prepared[i] = prepared[i] is null ? null : await PreparedAsync(batch.Statements[i].Cql, channel, cancellationToken);
            }

            return ToRowSet(await channel.SendAsync(BatchRequestOf(batch, prepared, values), _options.RequestTimeout, cancellationToken));
        }
    }

    private BatchRequest BatchRequestOf(CqlBatch batch, PreparedResult?[] prepared, CqlValue[][] values) => new(
        batch.IsLogged ? CqlBatchType.Logged : CqlBatchType.Unlogged,
        [.. batch.Statements.Select((statement, i) => prepared[i] is { } p
            ? CqlBatchStatement.ForPrepared(p.Id, values[i])
            : CqlBatchStatement.ForQuery(statement.Cql))],
        batch.Consistency ?? _options.Consistency,
        batch.SerialConsistency ?? _options.SerialConsistency);

    private static CqlValue[] Bound(CqlStatement statement, PreparedResult prepared) => prepared.BindMarkers.Count == statement.Values.Count
        ? [.. statement.Values.Select((value, i) => CqlValueEncoder.Encode(value, prepared.BindMarkers[i].Type))]
        : throw new ArgumentException($"The statement has {prepared.BindMarkers.Count} bind markers but {statement.Values.Count} values were given.", nameof(statement));

    private static long? RoutingToken(PreparedResult prepared, IReadOnlyList<CqlValue> values)
    {
        var indexes = prepared.PartitionKeyIndexes;
        if (indexes.Count == 0 || indexes.Any(i => i >= values.Count || values[i].Kind != CqlValueKind.Bytes))
        {
            return null;
        }

        var components = indexes.Select(i => values[i].Bytes).ToArray();
        return Murmur3Partitioner.GetToken(components.Length == 1 ? components[0].Span : PartitionKey.Composite(components));
    }

    private Task<PreparedResult> PreparedAsync(string cql, ICqlRequestChannel? on, CancellationToken cancellationToken)
    {
        if (on is null && _prepared.TryGetValue(cql, out var known) && !known.IsFaulted && !known.IsCanceled)
        {
            return known.WaitAsync(cancellationToken);
        }

        // Prepared ids are digests of the statement, the same on every node: one PREPARE serves them
        // all until a node forgets it (restart, schema change), and then that node is told again.
        // Shared by every caller, so no one caller's cancellation may cancel it.
        var preparing = PrepareAsync(cql, on, CancellationToken.None);
        _prepared[cql] = preparing;
        return preparing.WaitAsync(cancellationToken);
    }

    private async Task<PreparedResult> PrepareAsync(string cql, ICqlRequestChannel? on, CancellationToken cancellationToken)
    {
        if (on is not null)
        {
            return await PrepareOnAsync(on, cql, cancellationToken);
        }

        // Preparing changes nothing, so a node that cannot be reached is simply passed over.
        Exception? last = null;
        foreach (var channel in _planner.Plan(null))
        {
            try
            {
                return await PrepareOnAsync(channel, cql, cancellationToken);
            }
            catch (Exception failure) when (failure is CqlConnectionException or TimeoutException or CqlOverloadedException or CqlBootstrappingException)
            {
                last = failure;
            }
        }

        throw new CqlNoHostAvailableException("No node could prepare the statement.", last);
    }

    private async Task<PreparedResult> PrepareOnAsync(ICqlRequestChannel channel, string cql, CancellationToken cancellationToken) =>
        await channel.SendAsync(new PrepareRequest(cql), _options.RequestTimeout, cancellationToken) as PreparedResult
            ?? throw new CqlProtocolException("PREPARE was not answered with a Prepared result.");

    private async Task<CqlRowSet> SendOnAsync(ICqlRequestChannel channel, CqlStatement statement, PreparedResult? prepared, CqlValue[]? values, CancellationToken cancellationToken)
    {
        try
        {
            return ToRowSet(await channel.SendAsync(Request(statement, prepared, values), _options.RequestTimeout, cancellationToken));
        }
        catch (CqlUnpreparedException) when (prepared is not null)
        {
            // The same statement, so the same markers: the values already bound stand, only the id is new.
            PreparedResult again;
            try
            {
                again = await PreparedAsync(statement.Cql, channel, cancellationToken);
            }
            catch (CqlConnectionException lost) when (!lost.NotSent)
            {
                // The node refused the statement unrun and the connection went while preparing it again:
                // whatever became of the PREPARE, the statement itself never ran, so another node may run it.
                throw new CqlConnectionException($"The statement was not run: {channel.Name} had forgotten it, and preparing it again failed: {lost.Message}", lost) { Host = lost.Host, NotSent = true };
            }

            return ToRowSet(await channel.SendAsync(Request(statement, again, values), _options.RequestTimeout, cancellationToken));
        }
    }

    private ICqlRequest Request(CqlStatement statement, PreparedResult? prepared, CqlValue[]? values)
    {
        var parameters = new CqlQueryParameters(
            statement.Consistency ?? _options.Consistency,
            values,
            PageSize: statement.PageSize ?? _options.PageSize,
            // Typed: a bare null here would convert to an empty, non-null ReadOnlyMemory, and send an empty paging state.
            PagingState: statement.PagingState is { } state ? new ReadOnlyMemory<byte>(state) : default(ReadOnlyMemory<byte>?),
            SerialConsistency: statement.SerialConsistency ?? _options.SerialConsistency);
        return prepared is null ? new QueryRequest(statement.Cql, parameters) : new ExecuteRequest(prepared.Id, parameters);
    }

    private static CqlRowSet ToRowSet(CqlResponse response) => response switch
    {
        RowsResult rows => new CqlRowSet(rows),
        VoidResult or SetKeyspaceResult or SchemaChangeResult => CqlRowSet.Empty,
        _ => throw new CqlProtocolException($"A statement was answered with {response.GetType().Name}."),
    };
}
