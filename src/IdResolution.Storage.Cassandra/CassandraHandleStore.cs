using System.Diagnostics.Metrics;
using System.Globalization;
using IdResolution.Core.Records;
using IdResolution.Core.Storage;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace IdResolution.Storage.Cassandra;

/// <summary>
/// The store of record in Apache Cassandra. Each handle is one partition written only by lightweight
/// transactions, so the compare-and-set of <see cref="IHandleStore"/> is Cassandra's own; listings read
/// a bucketed index table and confirm each key against the records (<see cref="ListingPager"/>), and so
/// does the change log (<see cref="CassandraChangeFeed"/>), whose row each write logs before its transaction.
/// </summary>
public sealed class CassandraHandleStore : IHandleStore, IStoreDump, IChangeRetention
{
    /// <summary>
    /// How many times a conditional write whose answer was lost, and which the SERIAL read then showed had
    /// not landed, is sent again. Writers contending for one handle on three nodes time each other out
    /// (cas_contention_timeout); a few jittered tries get one through before the caller hears "unavailable".
    /// </summary>
    internal const int NotLandedRetries = 4;

    // Keys read per bucket merge when counting: large enough that the merge's per-page overhead vanishes.
    private const int CountPageSize = 5000;

    // A null result is a write that did not land (WriteOutcomes.FromUnknownOrNotLanded): safe to send again.
    private static readonly ResiliencePipeline<StoreWriteResult?> NotLandedRetry = new ResiliencePipelineBuilder<StoreWriteResult?>()
        .AddRetry(new RetryStrategyOptions<StoreWriteResult?>
        {
            MaxRetryAttempts = NotLandedRetries,

            // Longer than the serial read's: spreading contending writers apart is what lets one of them win.
            Delay = TimeSpan.FromMilliseconds(50),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is null && args.Outcome.Result is null),
        })
        .Build();

    private readonly ICassandraSession _session;
    private readonly CassandraStoreOptions _options;
    private readonly CassandraChangeFeed _changes;
    private readonly CassandraNodeState _state;
    private int _disposed;

    private CassandraHandleStore(ICassandraSession session, CassandraStoreOptions options, CassandraChangeFeed changes)
    {
        _session = session;
        _options = options;
        _changes = changes;
        _state = new CassandraNodeState(session);
    }

    /// <summary>
    /// Connects to the cluster the settings name and opens the store there (creating the schema first
    /// when <see cref="CassandraStoreOptions.CreateSchema"/> is set).
    /// </summary>
    public static ValueTask<CassandraHandleStore> ConnectAsync(CassandraStoreOptions options, CancellationToken cancellationToken) =>
        CassandraConnector.OpenAsync(options, new CassandraChangeLogOptions(), TimeProvider.System, null, null, cancellationToken);

    /// <summary>
    /// As <see cref="ConnectAsync(CassandraStoreOptions, CancellationToken)"/>, logging through
    /// <paramref name="loggerFactory"/> (node state, reconnection, schema agreement, replication) and
    /// creating the client's meter with <paramref name="meterFactory"/>.
    /// </summary>
    public static ValueTask<CassandraHandleStore> ConnectAsync(CassandraStoreOptions options, ILoggerFactory? loggerFactory, IMeterFactory? meterFactory, CancellationToken cancellationToken) =>
        CassandraConnector.OpenAsync(options, new CassandraChangeLogOptions(), TimeProvider.System, loggerFactory, meterFactory, cancellationToken);

    /// <summary>
    /// As <see cref="ConnectAsync(CassandraStoreOptions, ILoggerFactory?, IMeterFactory?, CancellationToken)"/>, keeping
    /// the change log as <paramref name="changeLog"/> says, on the clock of <paramref name="time"/>.
    /// </summary>
    public static ValueTask<CassandraHandleStore> ConnectAsync(CassandraStoreOptions options, CassandraChangeLogOptions changeLog, TimeProvider time,
        ILoggerFactory? loggerFactory, IMeterFactory? meterFactory, CancellationToken cancellationToken) =>
        CassandraConnector.OpenAsync(options, changeLog, time, loggerFactory, meterFactory, cancellationToken);

    /// <summary>
    /// Readies the store on a connected session: checks the options, creates the schema when asked,
    /// and refuses a listing bucket count other than the one the stored data was written with.
    /// </summary>
    internal static ValueTask<CassandraHandleStore> OpenAsync(ICassandraSession session, CassandraStoreOptions options, CancellationToken cancellationToken) =>
        OpenAsync(session, options, new CassandraChangeLogOptions(), TimeProvider.System, cancellationToken);

    /// <summary>As <see cref="OpenAsync(ICassandraSession, CassandraStoreOptions, CancellationToken)"/>, with the change log's settings and clock.</summary>
    internal static async ValueTask<CassandraHandleStore> OpenAsync(ICassandraSession session, CassandraStoreOptions options, CassandraChangeLogOptions changeLog, TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(changeLog);
        ArgumentNullException.ThrowIfNull(time);
        var problems = CassandraStoreOptionsValidation.Problems(options);
        var changeLogProblems = new Core.Composition.SettingProblems();
        CassandraChangeLogOptionsValidation.Check(changeLog, changeLogProblems);
        problems = [.. problems, .. changeLogProblems.Found];
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("The Cassandra store settings are invalid: " + string.Join(" ", problems));
        }

        if (options.CreateSchema)
        {
            foreach (var statement in CassandraSchema.Statements(options))
            {
                await session.ExecuteSchemaAsync(statement, cancellationToken).ConfigureAwait(false);
            }
        }

        var (applied, stored) = await session.InsertSettingAsync(
            StoreSettings.ListingBucketsName, options.ListingBuckets.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        if (StoreSettings.ListingBucketsProblem(options.ListingBuckets, applied, stored) is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        var now = time.GetUtcNow();
        var (logApplied, logStored) = await session.InsertSettingAsync(
            StoreSettings.ChangeLogStartedName, StoreSettings.ChangeLogStartedValue(now), cancellationToken).ConfigureAwait(false);
        var started = StoreSettings.ChangeLogStarted(now, logApplied, logStored);
        return new CassandraHandleStore(session, options, new CassandraChangeFeed(session, changeLog, time, started, options.ListingReadConcurrency));
    }

    /// <summary>The newest position this instance logged (tests wait for readers to see it).</summary>
    internal long LastLoggedPosition => _changes.LastLogged;

    /// <summary>
    /// The oldest position the change log can still hold: rows before it have expired (their TTL is the
    /// retention), so a reader whose cursor is older has lost rows and must start from a dump.
    /// </summary>
    public long OldestChangePosition => _changes.OldestKept;

    public async ValueTask<HandleRecord?> GetAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ThrowIfDisposed();
        var bytes = await _session.ReadRecordAsync(key, serial: false, cancellationToken).ConfigureAwait(false);
        return bytes is null ? null : WriteOutcomes.Decode(key, bytes);
    }

    /// <summary>
    /// One read per distinct key, <see cref="CassandraStoreOptions.BatchConcurrency"/> in flight at once, so a
    /// batch of 1,000 costs about 1,000 / that bound round trips of wall time instead of 1,000.
    /// </summary>
    public async ValueTask<IReadOnlyList<HandleRecord?>> GetManyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ThrowIfDisposed();
        var distinct = new Dictionary<string, HandleRecord?>(keys.Count, StringComparer.Ordinal);
        foreach (var key in keys)
        {
            ArgumentNullException.ThrowIfNull(key, nameof(keys));
            distinct.TryAdd(key, null);
        }

        string[] unique = [.. distinct.Keys];
        var found = new HandleRecord?[unique.Length];
        await Bounded.ForEachAsync(unique.Length, _options.BatchConcurrency, async i =>
        {
            var bytes = await _session.ReadRecordAsync(unique[i], serial: false, cancellationToken).ConfigureAwait(false);
            found[i] = bytes is null ? null : WriteOutcomes.Decode(unique[i], bytes);
        }).ConfigureAwait(false);
        for (var i = 0; i < unique.Length; i++)
        {
            distinct[unique[i]] = found[i];
        }

        var records = new HandleRecord?[keys.Count];
        for (var i = 0; i < records.Length; i++)
        {
            records[i] = distinct[keys[i]];
        }

        return records;
    }

    public ValueTask<IReadOnlyList<StoreWriteResult>> WriteAsync(IReadOnlyList<StoreWrite> writes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writes);
        var plans = new PlannedWrite[writes.Count];
        for (var i = 0; i < plans.Length; i++)
        {
            try
            {
                plans[i] = WritePlanner.Plan(writes[i], _options.ListingBuckets);
            }
            catch (ArgumentException exception)
            {
                throw new ArgumentException(exception.Message, nameof(writes), exception);
            }
        }

        ThrowIfDisposed();
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<IReadOnlyList<StoreWriteResult>>(cancellationToken);
        }

        return plans.Length == 0 ? ValueTask.FromResult<IReadOnlyList<StoreWriteResult>>([]) : new(WriteAllAsync(plans));
    }

    public ValueTask<HandlePage> ListAsync(string prefixKey, string? afterKey, int limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefixKey);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ThrowIfDisposed();
        return ListingPager.ListAsync(_session, _session, prefixKey, afterKey, limit, _options.ListingBuckets, _options.ListingReadConcurrency, cancellationToken);
    }

    /// <summary>
    /// Counts by listing: every key of the prefix's buckets, each confirmed against its record, as
    /// <see cref="ListAsync"/> would list them. Exact, but it reads the whole prefix; Cassandra keeps
    /// no counter here, because a counter column cannot join the conditional write of the record (a
    /// write whose outcome is settled later would leave it wrong), and a counted row updated by
    /// lightweight transactions would put every create of a prefix through one Paxos partition.
    /// </summary>
    public async ValueTask<long> CountAsync(string prefixKey, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefixKey);
        ThrowIfDisposed();
        long count = 0;
        string? after = null;
        do
        {
            var page = await ListingPager.ListAsync(_session, _session, prefixKey, after, CountPageSize, _options.ListingBuckets,
                _options.ListingReadConcurrency, cancellationToken).ConfigureAwait(false);
            count += page.Handles.Count;
            after = page.NextAfterKey;
        }
        while (after is not null);

        return count;
    }

    /// <summary>Throws <see cref="StoreUnavailableException"/>, saying why, unless the store can serve writes and authoritative reads.</summary>
    public async ValueTask CheckHealthAsync(CancellationToken cancellationToken)
    {
        var readiness = await CheckReadinessAsync(cancellationToken).ConfigureAwait(false);
        if (!readiness.Ready)
        {
            throw new StoreUnavailableException(readiness.Description);
        }
    }

    /// <summary>
    /// Whether writes and authoritative reads can succeed now, at the configured consistency: replicas
    /// counted per token range from the client's connections, then a read at that consistency on the cluster.
    /// </summary>
    public ValueTask<CassandraReadiness> CheckReadinessAsync(CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _session.CheckReadinessAsync(cancellationToken);
    }

    public ValueTask<ChangePage> ReadChangesAsync(long afterPosition, int limit, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _changes.ReadAsync(afterPosition, limit, cancellationToken);
    }

    public ValueTask<long> LastChangePositionAsync(CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _changes.LastAsync(cancellationToken);
    }

    /// <summary>
    /// Notes the newest position readers can see, then scans the records while writes go on (a fuzzy dump):
    /// a write logged after the noted position may or may not be in the scan, and replaying the log after
    /// it settles that, by version. A write not yet visible to readers when the position is noted is after it.
    /// </summary>
    public async ValueTask<IDump> OpenDumpAsync(CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return new TokenScanDump(_session, await _changes.LastAsync(cancellationToken).ConfigureAwait(false));
    }

    public ValueTask<long> DroppedThroughAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return ValueTask.FromResult(_changes.DroppedThrough(at));
    }

    public ValueTask<long?> ReadCursorAsync(string name, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _state.ReadCursorAsync(name, cancellationToken);
    }

    public ValueTask WriteCursorAsync(string name, long value, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _state.WriteCursorAsync(name, value, cancellationToken);
    }

    public ValueTask<bool> TryAcquireLeaseAsync(string name, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _state.TryAcquireLeaseAsync(name, owner, duration, cancellationToken);
    }

    public ValueTask ReleaseLeaseAsync(string name, string owner, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return _state.ReleaseLeaseAsync(name, owner, cancellationToken);
    }

    public ValueTask DisposeAsync() =>
        Interlocked.Exchange(ref _disposed, 1) == 0 ? _session.DisposeAsync() : ValueTask.CompletedTask;

    /// <summary>
    /// Writes to different keys run at once, at most <see cref="CassandraStoreOptions.BatchConcurrency"/> keys
    /// in flight; writes to one key run in the caller's order, each seeing the one before (each keeps its own
    /// lightweight transaction). Once started, a write is not cancelled: a caller that stopped waiting could not
    /// tell whether it landed, and would skip invalidating caches.
    /// </summary>
    private async Task<IReadOnlyList<StoreWriteResult>> WriteAllAsync(PlannedWrite[] plans)
    {
        var results = new StoreWriteResult[plans.Length];
        var byKey = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < plans.Length; i++)
        {
            if (!byKey.TryGetValue(plans[i].Key, out var indexes))
            {
                byKey[plans[i].Key] = indexes = [];
            }

            indexes.Add(i);
        }

        List<int>[] groups = [.. byKey.Values];
        await Bounded.ForEachAsync(groups.Length, _options.BatchConcurrency, async g =>
        {
            foreach (var i in groups[g])
            {
                results[i] = await ApplyAsync(plans[i]).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
        return results;
    }

    private async Task<StoreWriteResult> ApplyAsync(PlannedWrite plan)
    {
        var none = CancellationToken.None;
        if (plan.Kind == PlannedWriteKind.ConfirmAbsent)
        {
            return WriteOutcomes.FromSerialRead(plan, await _session.ReadRecordAsync(plan.Key, serial: true, none).ConfigureAwait(false));
        }

        if (plan.ListingFirst is { } listing)
        {
            await _session.InsertListingAsync(listing, none).ConfigureAwait(false);
        }

        // Before the transaction, like the listing row: a write that then fails leaves a row readers drop,
        // whereas the other order could commit a change the log never hears of.
        var logged = await _changes.LogAsync(plan).ConfigureAwait(false);
        var result = await ConditionalAsync(plan).ConfigureAwait(false);
        if (logged is not null && result.Status == StoreWriteStatus.Applied)
        {
            await _changes.RelogIfSlowAsync(logged).ConfigureAwait(false);
        }

        return result;
    }

    private async Task<StoreWriteResult> ConditionalAsync(PlannedWrite plan)
    {
        byte[]? stored = null;
        Exception? lost = null;
        var resent = false;
        var settled = await NotLandedRetry.ExecuteAsync(
            async _ =>
            {
                var again = resent;
                resent = true;
                var none = CancellationToken.None;
                LwtResponse response;
                try
                {
                    response = await _session.ExecuteConditionalAsync(plan, none).ConfigureAwait(false);
                }
                catch (CasOutcomeUnknownException unknown)
                {
                    lost = unknown.InnerException;
                    try
                    {
                        stored = await _session.ReadRecordAsync(plan.Key, serial: true, none).ConfigureAwait(false);
                    }
                    catch (StoreUnavailableException unreadable)
                    {
                        // Said as it is: the write's fate is open, not merely "the cluster is unavailable".
                        throw new StoreUnavailableException(
                            $"The write of '{plan.Key}' is not confirmed: {CassandraFailures.WhyUnknown(lost)}, and the serial read that would tell failed ({unreadable.Message}); its outcome is unknown and it is safe to retry.",
                            unreadable);
                    }

                    return WriteOutcomes.FromUnknownOrNotLanded(plan, stored);
                }

                var decision = WriteOutcomes.FromLwt(plan, response);
                var result = decision.NeedsSerialRead
                    ? WriteOutcomes.FromSerialRead(plan, await _session.ReadRecordAsync(plan.Key, serial: true, none).ConfigureAwait(false))
                    : decision.Result;
                return again ? WriteOutcomes.AfterResend(plan, result) : result;
            },
            CancellationToken.None).ConfigureAwait(false);

        // Every try was lost and did not land: the caller is told so, with the last try's cause.
        return settled ?? WriteOutcomes.FromUnknown(plan, stored, lost);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
