using System.Globalization;
using IdResolution.Core.Storage;
using IdResolution.Cql.Cluster;
using IdResolution.Cql.Errors;
using IdResolution.Cql.Execution;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace IdResolution.Storage.Cassandra;

/// <summary>
/// The store's statements on the CQL client. Reads and plain writes are idempotent (retried on
/// another replica when that is safe); conditional writes are not, and a lost answer to one is
/// reported as <see cref="CasOutcomeUnknownException"/> for the store to settle with a serial read.
/// Any other failure of the cluster is <see cref="StoreUnavailableException"/>.
/// </summary>
internal sealed class CqlCassandraSession(CqlSession session, CqlConsistency consistency, CqlConsistency serial, TimeSpan schemaAgreement, ILogger logger) : ICassandraSession
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

    public async ValueTask<IReadOnlyList<TokenRow>> ReadRecordsAfterTokenAsync(long afterToken, int limit, CancellationToken cancellationToken)
    {
        var rows = await RunAsync(new CqlStatement(CassandraStatements.SelectRecordsAfterToken, afterToken, limit) { IsIdempotent = true, PageSize = limit }, cancellationToken);
        return [.. rows.Select(row => new TokenRow(row.Get<long>("t"), row.Get<string>("key"), row.IsNull("record") ? null : row.Get<byte[]>("record")))];
    }

    public async ValueTask<LwtResponse> ExecuteConditionalAsync(PlannedWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        var rows = await ConditionalAsync(new CqlStatement(write.Statement, write.Values()) { SerialConsistency = serial }, write.Key, cancellationToken);
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

    public async ValueTask InsertChangeAsync(ChangeRow row, int ttlSeconds, CancellationToken cancellationToken) =>
        await RunAsync(new CqlStatement(CassandraStatements.InsertChange, row.Values(ttlSeconds)) { IsIdempotent = true }, cancellationToken);

    public async ValueTask<IReadOnlyList<ChangeRow>> ReadChangesAsync(long bucket, long after, long upTo, int limit, CancellationToken cancellationToken)
    {
        var rows = await RunAsync(new CqlStatement(CassandraStatements.SelectChanges, bucket, after, upTo, limit) { IsIdempotent = true, PageSize = limit }, cancellationToken);
        return [.. rows.Select(row => new ChangeRow(row.Get<long>("position"), row.Get<string>("key"), row.Get<long>("version"), row.IsNull("record") ? null : row.Get<byte[]>("record")))];
    }

    public async ValueTask<long?> ReadLastChangeAsync(long bucket, long upTo, CancellationToken cancellationToken)
    {
        var rows = await RunAsync(new CqlStatement(CassandraStatements.SelectLastChange, bucket, upTo) { IsIdempotent = true }, cancellationToken);
        return rows.Count == 0 ? null : rows[0].Get<long>("position");
    }

    public async ValueTask<long?> ReadCursorAsync(string name, CancellationToken cancellationToken)
    {
        var rows = await RunAsync(new CqlStatement(CassandraStatements.SelectCursor, name) { IsIdempotent = true }, cancellationToken);
        return rows.Count == 0 || rows[0].IsNull("position") ? null : rows[0].Get<long>("position");
    }

    public async ValueTask WriteCursorAsync(string name, long position, CancellationToken cancellationToken) =>
        await RunAsync(new CqlStatement(CassandraStatements.UpsertCursor, name, position) { IsIdempotent = true }, cancellationToken);

    public async ValueTask<(bool Applied, string? Holder)> InsertLeaseAsync(string name, string owner, int ttlSeconds, CancellationToken cancellationToken)
    {
        var rows = await ConditionalAsync(new CqlStatement(CassandraStatements.InsertLease, name, owner, ttlSeconds) { SerialConsistency = serial }, name, cancellationToken);
        return rows.WasApplied ? (true, null) : (false, rows[0].IsNull("owner") ? null : rows[0].Get<string>("owner"));
    }

    public async ValueTask<bool> RenewLeaseAsync(string name, string owner, int ttlSeconds, CancellationToken cancellationToken) =>
        (await ConditionalAsync(new CqlStatement(CassandraStatements.RenewLease, ttlSeconds, owner, name, owner) { SerialConsistency = serial }, name, cancellationToken)).WasApplied;

    public async ValueTask ReleaseLeaseAsync(string name, string owner, CancellationToken cancellationToken) =>
        await ConditionalAsync(new CqlStatement(CassandraStatements.DeleteLease, name, owner) { SerialConsistency = serial }, name, cancellationToken);

    public async ValueTask InsertListingAsync(ListingRow row, CancellationToken cancellationToken) =>
        await RunAsync(new CqlStatement(CassandraStatements.InsertListing, row.Values()) { IsIdempotent = true }, cancellationToken);

    public async ValueTask<(bool Applied, string? Stored)> InsertSettingAsync(string name, string value, CancellationToken cancellationToken)
    {
        var rows = await RunAsync(new CqlStatement(CassandraStatements.InsertSetting, name, value) { SerialConsistency = serial }, cancellationToken);
        return rows.WasApplied ? (true, null) : (false, rows[0].IsNull("value") ? null : rows[0].Get<string>("value"));
    }

    /// <summary>Every node of the cluster as the client sees it (for the replication check at start).</summary>
    public IReadOnlyList<CqlNodeState> Nodes => session.Nodes;

    public async ValueTask<IReadOnlyDictionary<string, string>?> ReplicationAsync(string keyspace, CancellationToken cancellationToken) =>
        await RunAsync(async ct => await session.GetKeyspaceReplicationAsync(keyspace, ct), cancellationToken);

    /// <summary>
    /// Runs a DDL statement, then waits until every live node of the local data centre has it: the next
    /// statement may run on any of them, and one that has not applied the change answers "Keyspace … doesn't exist".
    /// </summary>
    public async ValueTask ExecuteSchemaAsync(string statement, CancellationToken cancellationToken)
    {
        await RunAsync(new CqlStatement(statement) { IsIdempotent = true }, cancellationToken);
        var agreement = await session.WaitForSchemaAgreementAsync(schemaAgreement, cancellationToken);
        if (!agreement.Agreed)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"The Cassandra nodes did not agree on the schema within {schemaAgreement.TotalSeconds} s (Cassandra:SchemaAgreementSeconds) after '{FirstWords(statement)}': {agreement.Describe()}."));
        }

        CassandraLog.SchemaStatementApplied(logger, agreement.Describe(), FirstWords(statement));
    }

    /// <summary>
    /// Ready when writes and authoritative reads can succeed: enough replicas up on every token range in
    /// the client's view, and a read at the configured consistency that the cluster itself accepts.
    /// </summary>
    public async ValueTask<CassandraReadiness> CheckReadinessAsync(CancellationToken cancellationToken)
    {
        var what = $"writes and authoritative reads ({consistency.ToCqlName()}, conditional writes and serial reads at {serial.ToCqlName()})";
        var replicas = session.CheckReplicas(consistency);
        var details = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["consistency"] = consistency.ToCqlName(),
            ["serial_consistency"] = serial.ToCqlName(),
            ["replicas"] = replicas.Describe(),
            ["nodes"] = string.Join(", ", replicas.Nodes),
        };
        // Every record write is a conditional one, decided at the serial consistency: replicas enough for
        // LOCAL_QUORUM do not make SERIAL (a quorum of all data centres) possible, so both are counted and read.
        var serialReplicas = session.CheckReplicas(serial);
        foreach (var counted in (ReadOnlySpan<CqlReplicaAvailability>)[replicas, serialReplicas])
        {
            if (counted.Sufficient == false)
            {
                return new CassandraReadiness(false, $"Cassandra cannot serve {what}: {counted.Describe()}.", details);
            }
        }

        foreach (var level in new[] { consistency, serial })
        {
            try
            {
                await session.ExecuteAsync(
                    new CqlStatement(CassandraStatements.Health, StoreSettings.ListingBucketsName) { Consistency = level, IsIdempotent = true },
                    cancellationToken);
            }
            catch (Exception failure) when (CassandraFailures.IsClusterFailure(failure))
            {
                return new CassandraReadiness(false, $"Cassandra cannot serve {what}: a read at {level.ToCqlName()} failed: {CassandraFailures.Describe(failure)}", details);
            }
        }

        return new CassandraReadiness(true, $"Cassandra serves {what}: {replicas.Describe()}; reads at {consistency.ToCqlName()} and {serial.ToCqlName()} succeeded.", details);
    }

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

    private static bool IsClusterFailure(Exception failure) => CassandraFailures.IsClusterFailure(failure);

    private static StoreUnavailableException Unavailable(Exception failure) => CassandraFailures.Unavailable(failure);

    private static string FirstWords(string statement) => statement.Length <= 80 ? statement : statement[..80] + "…";

    /// <summary>A conditional statement; a timeout leaves its outcome open (<see cref="CasOutcomeUnknownException"/>).</summary>
    private async Task<CqlRowSet> ConditionalAsync(CqlStatement statement, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await session.ExecuteAsync(statement, cancellationToken);
        }
        catch (CqlConnectionException notSent) when (notSent.NotSent)
        {
            throw new StoreUnavailableException(CassandraFailures.Describe(notSent) + " The conditional write of " + what + " did not happen and is safe to retry.", notSent);
        }
        // Any timeout of a conditional write leaves its outcome open: Paxos may have decided it (the commit
        // phase times out as a SIMPLE write), so only the serial read that follows can tell.
        catch (Exception failure) when (failure is CqlWriteTimeoutException or CqlReadTimeoutException or CqlCasWriteUnknownException or CqlConnectionException or TimeoutException)
        {
            throw new CasOutcomeUnknownException($"The conditional write of {what} was sent but {CassandraFailures.WhyUnknown(failure)}.", failure);
        }
        catch (Exception failure) when (IsClusterFailure(failure))
        {
            throw Unavailable(failure);
        }
    }

    private Task<CqlRowSet> RunAsync(CqlStatement statement, CancellationToken cancellationToken) =>
        RunAsync(ct => session.ExecuteAsync(statement, ct), cancellationToken);

    private static async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> execute, CancellationToken cancellationToken)
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
