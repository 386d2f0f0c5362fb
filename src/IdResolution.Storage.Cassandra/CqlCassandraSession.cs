using IdResolution.Core.Storage;
using IdResolution.Cql;
using Polly;
using Polly.Retry;

namespace IdResolution.Storage.Cassandra;

/// <summary>
/// The store's statements on the CQL client. Reads and plain writes are idempotent (retried on
/// another replica when that is safe); conditional writes are not, and a lost answer to one is
/// reported as <see cref="CasOutcomeUnknownException"/> for the store to settle with a serial read.
/// Any other failure of the cluster is <see cref="StoreUnavailableException"/>.
/// </summary>
internal sealed class CqlCassandraSession(CqlSession session, CqlConsistency consistency, CqlConsistency serial) : ICassandraSession
{
    /// <summary>
    /// A serial read is a Paxos round of its own: while writers contend for the handle it can time out
    /// (cas_contention_timeout) though nothing is wrong. It changes nothing, so it is tried again a few
    /// times, with jittered back-off, before the store is called unavailable.
    /// </summary>
    private static readonly ResiliencePipeline SerialReadRetry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = 5,
            Delay = TimeSpan.FromMilliseconds(20),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            ShouldHandle = new PredicateBuilder().Handle<CqlReadTimeoutException>().Handle<CqlWriteTimeoutException>(),
        })
        .Build();

    public async ValueTask<byte[]?> ReadRecordAsync(string key, bool serialRead, CancellationToken cancellationToken)
    {
        var statement = new CqlStatement(CassandraStatements.SelectRecord, key) { Consistency = serialRead ? serial : consistency, IsIdempotent = true };
        var rows = serialRead
            ? await RunAsync(ct => SerialReadRetry.ExecuteAsync(async token => await session.ExecuteAsync(statement, token), ct).AsTask(), cancellationToken)
            : await RunAsync(statement, cancellationToken);
        return rows.Count == 0 || rows[0].IsNull("record") ? null : rows[0].Get<byte[]>("record");
    }

    public async ValueTask<string?> ReadDisplayAsync(string key, CancellationToken cancellationToken)
    {
        var rows = await RunAsync(new CqlStatement(CassandraStatements.SelectDisplay, key) { IsIdempotent = true }, cancellationToken);
        return rows.Count == 0 || rows[0].IsNull("handle") ? null : rows[0].Get<string>("handle");
    }

    public async ValueTask<IReadOnlyList<string>> ReadBucketAsync(string prefix, int bucket, string afterKey, int limit, CancellationToken cancellationToken)
    {
        var rows = await RunAsync(new CqlStatement(CassandraStatements.SelectListingPage, prefix, bucket, afterKey, limit) { IsIdempotent = true, PageSize = limit }, cancellationToken);
        return [.. rows.Select(row => row.Get<string>("key"))];
    }

    public async ValueTask<LwtResponse> ExecuteConditionalAsync(PlannedWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        try
        {
            var rows = await session.ExecuteAsync(new CqlStatement(write.Statement, write.Values()) { SerialConsistency = serial }, cancellationToken);
            if (rows.WasApplied || rows.Count == 0)
            {
                return LwtResponse.Success;
            }

            var row = rows[0];
            return new LwtResponse(
                false,
                rows.Columns.Contains("version") && !row.IsNull("version") ? row.Get<long>("version") : null,
                rows.Columns.Contains("record") && !row.IsNull("record") ? row.Get<byte[]>("record") : null);
        }
        // Any timeout of a conditional write leaves its outcome open: Paxos may have decided it (the commit
        // phase times out as a SIMPLE write), so only the serial read that follows can tell.
        catch (Exception failure) when (failure is CqlWriteTimeoutException or CqlReadTimeoutException or CqlCasWriteUnknownException or CqlConnectionException or TimeoutException)
        {
            throw new CasOutcomeUnknownException($"The conditional write of {write.Key} was sent but its outcome is unknown.", failure);
        }
        catch (Exception failure) when (IsClusterFailure(failure))
        {
            throw Unavailable(failure);
        }
    }

    public async ValueTask InsertListingAsync(ListingRow row, CancellationToken cancellationToken) =>
        await RunAsync(new CqlStatement(CassandraStatements.InsertListing, row.Values()) { IsIdempotent = true }, cancellationToken);

    public async ValueTask<(bool Applied, string? Stored)> InsertSettingAsync(string name, string value, CancellationToken cancellationToken)
    {
        var rows = await RunAsync(new CqlStatement(CassandraStatements.InsertSetting, name, value) { SerialConsistency = serial }, cancellationToken);
        return rows.WasApplied ? (true, null) : (false, rows[0].IsNull("value") ? null : rows[0].Get<string>("value"));
    }

    public async ValueTask ExecuteSchemaAsync(string statement, CancellationToken cancellationToken)
    {
        await RunAsync(new CqlStatement(statement) { IsIdempotent = true }, cancellationToken);

        // The next statement may run on a node that has not applied this one yet.
        await session.WaitForSchemaAgreementAsync(TimeSpan.FromSeconds(10), cancellationToken);
    }

    public async ValueTask CheckHealthAsync(CancellationToken cancellationToken) =>
        await RunAsync(new CqlStatement(CassandraStatements.Health) { Consistency = CqlConsistency.LocalOne, IsIdempotent = true }, cancellationToken);

    /// <summary>Prepares every statement of the store, so that a schema it does not match fails the start.</summary>
    public async ValueTask PrepareAllAsync(CancellationToken cancellationToken)
    {
        foreach (var statement in CassandraStatements.Prepared)
        {
            try
            {
                await session.PrepareAsync(statement, cancellationToken);
            }
            catch (Exception failure) when (IsClusterFailure(failure))
            {
                throw Unavailable(failure);
            }
        }
    }

    public ValueTask DisposeAsync() => session.DisposeAsync();

    private static bool IsClusterFailure(Exception failure) =>
        failure is CqlServerException or CqlConnectionException or CqlNoHostAvailableException or CqlProtocolException or TimeoutException;

    private static StoreUnavailableException Unavailable(Exception failure) =>
        new($"The Cassandra cluster did not answer: {failure.Message}", failure);

    private Task<CqlRowSet> RunAsync(CqlStatement statement, CancellationToken cancellationToken) =>
        RunAsync(ct => session.ExecuteAsync(statement, ct), cancellationToken);

    private static async Task<CqlRowSet> RunAsync(Func<CancellationToken, Task<CqlRowSet>> execute, CancellationToken cancellationToken)
    {
        try
        {
            return await execute(cancellationToken);
        }
        catch (Exception failure) when (IsClusterFailure(failure))
        {
            throw Unavailable(failure);
        }
    }
}
