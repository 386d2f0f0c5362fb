using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using IdResolution.Core.Records;
using IdResolution.Core.Storage;
using RocksDbSharp;

namespace IdResolution.Storage.Embedded;

/// <summary>
/// The store of record on local disk (RocksDB). One writer loop owns every write: it takes all
/// requests that queued up while the previous sync ran, decides each compare-and-set against the
/// database plus the writes already decided in the same group, and makes the whole group durable
/// with one synced write-ahead-log append (group commit). Reads go straight to RocksDB. The number
/// of handles under each prefix is kept in the same batches (<see cref="PrefixCounts"/>), and so is
/// the change log (<see cref="ChangeLog"/>), which the loop trims by age and size once a minute.
/// When the disk fills up, writes are refused with <see cref="DiskFullException"/> and reads go on;
/// the writer reopens the engine by itself once there is room again.
/// </summary>
public sealed partial class RocksDbHandleStore : IHandleStore, IStoreDump, IChangeRetention, IStoreBackup
{
    // Bounds one group so a burst cannot build an unbounded batch; a single request is never split.
    private const int MaxGroupWrites = 4096;

    // Room a reopen needs beyond the write-ahead logs it replays: a new manifest, options file and log.
    private const long ReopenHeadroomBytes = 1 << 20;

    private static readonly byte[] HealthKey = "h:"u8.ToArray();

    // After a reopen failed although the disk reported room (e.g. a quota), the next try waits this long.
    private static readonly TimeSpan RecoveryInterval = TimeSpan.FromSeconds(1);

    // How often retention runs: the log may outgrow its bounds by about a minute of writes.
    private static readonly TimeSpan TrimInterval = TimeSpan.FromMinutes(1);

    private readonly string _path;

    // Replaced only by the writer loop, while readers are paused (see Reopen); null if a reopen failed outright.
    private RocksDb? _db;

    // Kept alive with the database: RocksDbSharp frees native option handles when these are collected.
    private readonly DbOptions _dbOptions;
    private readonly WriteOptions _syncWrites;
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private readonly ChangeLogOptions _changeLog;
    private readonly TimeProvider _time;
    private readonly LeaseTable _leases;
    private readonly ITimer _trimTimer;
    private readonly Lock _disposeLock = new();
    private Task? _disposal;
    private int _closing;
    private int _pausing;
    private int _readers;
    private long _groupCommits;

    // Writer loop only: the engine refused a write for lack of space and has not been reopened since.
    private bool _diskFull;
    private long _nextRecovery;

    // Writer loop only: the newest change log position and commit time written, so the next batch continues them.
    private long _lastPosition;
    private long _lastCommittedMilliseconds;

    // Written by the writer loop, read by anyone: the newest position retention dropped.
    private long _trimmedThrough;

    private RocksDbHandleStore(RocksDb db, DbOptions dbOptions, WriteOptions syncWrites, string path, ChangeLogOptions changeLog, TimeProvider time)
    {
        _db = db;
        _dbOptions = dbOptions;
        _syncWrites = syncWrites;
        _path = path;
        _changeLog = changeLog;
        _time = time;
        _leases = new LeaseTable(time);
        _lastPosition = ChangeLog.Number(db, KeyLayout.ChangesLast);
        _lastCommittedMilliseconds = ChangeLog.LastCommittedMilliseconds(db, _lastPosition);
        _trimmedThrough = ChangeLog.Number(db, KeyLayout.ChangesTrimmed);
        _writer = Task.Run(RunWriterAsync);
        _trimTimer = time.CreateTimer(static state => ((RocksDbHandleStore)state!).RequestTrim(), this, TrimInterval, TrimInterval);
    }

    /// <summary>Opens (creating if needed) the store in <see cref="EmbeddedStoreOptions.Path"/>, with the default change log retention.</summary>
    public static RocksDbHandleStore Open(EmbeddedStoreOptions options) => Open(options, new ChangeLogOptions(), TimeProvider.System);

    /// <summary>
    /// Opens (creating if needed) the store in <see cref="EmbeddedStoreOptions.Path"/>, keeping its change log
    /// as <paramref name="changeLog"/> says; <paramref name="time"/> stamps entries, runs retention and times leases.
    /// </summary>
    public static RocksDbHandleStore Open(EmbeddedStoreOptions options, ChangeLogOptions changeLog, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(changeLog);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Path);
        var path = Path.GetFullPath(options.Path);
        Directory.CreateDirectory(path);
        var dbOptions = EngineOptions.Create();
        var syncWrites = new WriteOptions().SetSync(true);
        RocksDb db;
        try
        {
            db = RocksDb.Open(dbOptions, path);
        }
        catch (RocksDbException exception)
        {
            // Most often another process holds the lock; say which directory so the operator can act.
            throw new IOException($"The embedded store at '{path}' cannot be opened: {exception.Message}", exception);
        }

        try
        {
            PrefixCounts.EnsureKept(db, syncWrites);
            return new RocksDbHandleStore(db, dbOptions, syncWrites, path, changeLog, time);
        }
        catch (Exception exception) when (exception is RocksDbException or DecoderFallbackException or InvalidDataException)
        {
            db.Dispose();
            throw new IOException($"The embedded store at '{path}' cannot read its handle counts or change log: {exception.Message}", exception);
        }
    }

    /// <summary>Synced write-ahead-log appends so far; lower than the number of writes when commits were shared.</summary>
    internal long GroupCommits => Interlocked.Read(ref _groupCommits);

    /// <summary>
    /// The position of the oldest entry the change log still holds, or of the next entry when retention
    /// dropped them all. A reader whose cursor is below this less one has lost entries and must start from a dump.
    /// </summary>
    public long OldestChangePosition => Interlocked.Read(ref _trimmedThrough) + 1;

    /// <summary>
    /// The newest position retention has dropped or would drop if it ran now: when it is past a reader's
    /// cursor, entries that reader has not applied yet are gone or about to go.
    /// </summary>
    public ValueTask<long> TrimmableThroughAsync(CancellationToken cancellationToken) => DroppedThroughAsync(_time.GetUtcNow(), cancellationToken);

    /// <summary>As <see cref="TrimmableThroughAsync"/>, for retention running at <paramref name="at"/> over the log as it stands now.</summary>
    public ValueTask<long> DroppedThroughAsync(DateTimeOffset at, CancellationToken cancellationToken) =>
        Read((this, at), static (db, state) => ChangeLog.TrimThrough(db, Interlocked.Read(ref state.Item1._trimmedThrough),
            ChangeLog.Number(db, KeyLayout.ChangesLast), state.Item1._changeLog, state.at), cancellationToken);

    public ValueTask<ChangePage> ReadChangesAsync(long afterPosition, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return Read((afterPosition, limit), static (db, page) => ChangeLog.Read(db, page.afterPosition, page.limit), cancellationToken);
    }

    /// <summary>
    /// A RocksDB checkpoint beside the live store (see <see cref="EmbeddedBackup"/>): writes go on meanwhile, and
    /// the copy is one instant of them, its records and change log position from the same committed batches.
    /// </summary>
    public async ValueTask<BackupSummary> BackupAsync(string directory, CancellationToken cancellationToken)
    {
        var target = EmbeddedBackup.Prepare(directory, _path);
        await Task.Run(() =>
        {
            var db = EnterRead();
            try
            {
                EmbeddedBackup.Checkpoint(db, target);
            }
            finally
            {
                ExitRead();
            }
        }, cancellationToken).ConfigureAwait(false);

        // Hashing reads the copy only, so it runs without holding the live engine open.
        return await Task.Run(() => EmbeddedBackup.Seal(target, _time.GetUtcNow()), CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Positions are a counter written in the same batch as each entry (<see cref="IChangeFeed.PositionsAreDense"/>).</summary>
    public bool PositionsAreDense => true;

    public ValueTask<long> LastChangePositionAsync(CancellationToken cancellationToken) =>
        Read(0, static (db, _) => ChangeLog.Number(db, KeyLayout.ChangesLast), cancellationToken);

    public ValueTask<long?> ReadCursorAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Read(name, static (db, name) => db.Get(KeyLayout.Cursor(name)) is { } bytes ? StoredNumber.Decode(bytes, $"cursor '{name}'") : (long?)null, cancellationToken);
    }

    /// <summary>A synced put of its own, beside the writer loop: cursors are no record, count or log entry, so no batch need hold them.</summary>
    public async ValueTask WriteCursorAsync(string name, long value, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        await Read((name, value, _syncWrites), static (db, cursor) =>
        {
            db.Put(KeyLayout.Cursor(cursor.name), StoredNumber.Encode(cursor.value), null, cursor._syncWrites);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<bool> TryAcquireLeaseAsync(string name, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _closing) != 0, this);
        return cancellationToken.IsCancellationRequested
            ? ValueTask.FromCanceled<bool>(cancellationToken)
            : ValueTask.FromResult(_leases.TryAcquire(name, owner, duration));
    }

    public ValueTask ReleaseLeaseAsync(string name, string owner, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        _leases.Release(name, owner);
        return ValueTask.CompletedTask;
    }

    /// <summary>Runs retention now, in the writer loop, and returns once it has (tests; the timer does it every minute).</summary>
    internal Task TrimChangesAsync()
    {
        var request = PendingWrite.Trim();
        return _queue.Writer.TryWrite(request) ? request.Completion.Task : Task.FromException(WriterUnavailable());
    }

    private void RequestTrim() => _queue.Writer.TryWrite(PendingWrite.Trim());

    public ValueTask<HandleRecord?> GetAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Read(key, static (db, key) => Load(db, key), cancellationToken);
    }

    public ValueTask<IReadOnlyList<HandleRecord?>> GetManyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var key in keys)
        {
            ArgumentNullException.ThrowIfNull(key, nameof(keys));
        }

        return keys.Count == 0 ? ValueTask.FromResult<IReadOnlyList<HandleRecord?>>([]) : Read(keys, static (db, keys) => LoadMany(db, keys), cancellationToken);
    }

    public ValueTask<IReadOnlyList<StoreWriteResult>> WriteAsync(IReadOnlyList<StoreWrite> writes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writes);
        StoreWrite[] copy = [.. writes];
        var encoded = new Encoded[copy.Length];
        for (var i = 0; i < copy.Length; i++)
        {
            var write = copy[i];
            ArgumentException.ThrowIfNullOrEmpty(write.Key, nameof(writes));
            if (write.Record is { Version: StoreWrite.Absent })
            {
                // A stored version 0 would read as "absent" to the next compare-and-set.
                throw new ArgumentException($"The record for '{write.Key}' carries version {StoreWrite.Absent}, which means absent.", nameof(writes));
            }

            // Encoded here, on the caller's thread, so the one writer loop only decides and commits.
            encoded[i] = Encoded.Of(write.Record);
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<IReadOnlyList<StoreWriteResult>>(cancellationToken);
        }

        if (copy.Length == 0)
        {
            return ValueTask.FromResult<IReadOnlyList<StoreWriteResult>>([]);
        }

        var pending = new PendingWrite(copy, encoded, cancellationToken);
        if (Volatile.Read(ref _closing) != 0 || !_queue.Writer.TryWrite(pending))
        {
            return ValueTask.FromException<IReadOnlyList<StoreWriteResult>>(WriterUnavailable());
        }

        // Once queued the write is never abandoned: a caller that stopped waiting could not tell
        // whether it landed, and would skip invalidating caches. The token only counts until the loop takes it.
        return new ValueTask<IReadOnlyList<StoreWriteResult>>(pending.Completion.Task);
    }

    public ValueTask<HandlePage> ListAsync(string prefixKey, string? afterKey, int limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefixKey);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return Read((prefixKey, afterKey, limit), static (db, page) => Scan(db, page.prefixKey, page.afterKey, page.limit), cancellationToken);
    }

    public ValueTask<long> CountAsync(string prefixKey, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefixKey);
        return Read(prefixKey, static (db, prefixKey) => PrefixCounts.Read(db, prefixKey), cancellationToken);
    }

    public ValueTask CheckHealthAsync(CancellationToken cancellationToken)
    {
        var db = EnterRead();
        try
        {
            db.Get(HealthKey);
        }
        finally
        {
            ExitRead();
        }

        return _writer.IsCompleted ? ValueTask.FromException(WriterUnavailable()) : ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        lock (_disposeLock)
        {
            _disposal ??= CloseAsync();
        }

        return new ValueTask(_disposal);
    }

    private async Task CloseAsync()
    {
        Interlocked.Exchange(ref _closing, 1);
        await _trimTimer.DisposeAsync().ConfigureAwait(false);
        _queue.Writer.TryComplete();

        // Everything queued before the close is still decided and made durable.
        await _writer.ConfigureAwait(false);

        // Reads are short and synchronous; closing under one would free memory it is using.
        SpinWait.SpinUntil(() => Volatile.Read(ref _readers) == 0);
        ReleaseDumps();
        _db?.Dispose();
        GC.KeepAlive(_dbOptions);
    }

    /// <summary>Counts a reader in and returns the engine to read from; waits while the writer reopens it.</summary>
    private RocksDb EnterRead()
    {
        while (true)
        {
            // Pairs with CloseAsync and Reopen: either this sees the close or pause, or they see this reader.
            Interlocked.Increment(ref _readers);
            if (Volatile.Read(ref _closing) != 0)
            {
                Interlocked.Decrement(ref _readers);
                throw new ObjectDisposedException(nameof(RocksDbHandleStore));
            }

            if (Volatile.Read(ref _pausing) == 0)
            {
                if (Volatile.Read(ref _db) is { } db)
                {
                    return db;
                }

                Interlocked.Decrement(ref _readers);
                throw Unopened();
            }

            Interlocked.Decrement(ref _readers);
            SpinWait.SpinUntil(() => Volatile.Read(ref _pausing) == 0);
        }
    }

    private void ExitRead() => Interlocked.Decrement(ref _readers);

    /// <summary>Runs one synchronous read under the close guard; engine and data failures come back as the store's exceptions.</summary>
    private ValueTask<T> Read<TState, T>(TState state, Func<RocksDb, TState, T> read, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<T>(cancellationToken);
        }

        try
        {
            var db = EnterRead();
            try
            {
                return ValueTask.FromResult(read(db, state));
            }
            finally
            {
                ExitRead();
            }
        }
        catch (Exception exception) when (exception is ObjectDisposedException or InvalidDataException or RocksDbException or StoreUnavailableException)
        {
            return ValueTask.FromException<T>(Surface(exception));
        }
    }

    private Exception WriterUnavailable() => _writer.IsFaulted
        ? new InvalidOperationException("The embedded store's writer stopped; the store must be reopened.", _writer.Exception)
        : new ObjectDisposedException(nameof(RocksDbHandleStore));

    private static StoreUnavailableException Unopened() =>
        new("The embedded store could not be reopened after its disk filled up; the node must be restarted.");

    private static HandleRecord? Load(RocksDb db, string key)
    {
        var bytes = db.Get(KeyLayout.Record(key));
        if (bytes is null)
        {
            return null;
        }

        return RecordCodec.TryDecode(bytes, out var record)
            ? record
            : throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"The stored record of '{key}' ({bytes.Length} bytes) is damaged and cannot be decoded."));
    }

    /// <summary>One MultiGet for the whole batch: RocksDB looks the keys up together (sorted, sharing block reads).</summary>
    private static IReadOnlyList<HandleRecord?> LoadMany(RocksDb db, IReadOnlyList<string> keys)
    {
        var storeKeys = new byte[keys.Count][];
        for (var i = 0; i < storeKeys.Length; i++)
        {
            storeKeys[i] = KeyLayout.Record(keys[i]);
        }

        var found = db.MultiGet(storeKeys);
        var records = new HandleRecord?[keys.Count];
        for (var i = 0; i < records.Length; i++)
        {
            var bytes = found[i].Value;
            records[i] = bytes is null ? null
                : RecordCodec.TryDecode(bytes, out var record) ? record
                : throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"The stored record of '{keys[i]}' ({bytes.Length} bytes) is damaged and cannot be decoded."));
        }

        return records;
    }

    private static HandlePage Scan(RocksDb db, string prefixKey, string? afterKey, int limit)
    {
        var start = KeyLayout.ListingStart(prefixKey);
        if (afterKey is not null)
        {
            var after = KeyLayout.ListingAfter(afterKey);
            if (after.AsSpan().SequenceCompareTo(start) > 0)
            {
                start = after;
            }
        }

        var end = KeyLayout.ListingEnd(prefixKey);
        var readOptions = new ReadOptions().SetIterateUpperBound(end);
        var handles = new List<ListedHandle>(Math.Min(limit, 1024));
        using var iterator = db.NewIterator(readOptions: readOptions);
        for (iterator.Seek(start); iterator.Valid(); iterator.Next())
        {
            var listingKey = iterator.GetKeySpan();
            if (listingKey.SequenceCompareTo(end) >= 0)
            {
                break;
            }

            if (handles.Count == limit)
            {
                GC.KeepAlive(readOptions);
                return new HandlePage(handles, handles[^1].Key);
            }

            handles.Add(new ListedHandle(KeyLayout.KeyOfListing(listingKey), KeyLayout.Utf8.GetString(iterator.GetValueSpan())));
        }

        GC.KeepAlive(readOptions);
        return new HandlePage(handles, null);
    }

    private async Task RunWriterAsync()
    {
        var reader = _queue.Reader;
        var group = new List<(PendingWrite Request, StoreWriteResult[] Results)>();
        var staged = new Dictionary<string, Staged>(StringComparer.Ordinal);
        var changes = new List<Change>();
        var trims = new List<PendingWrite>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            group.Clear();
            staged.Clear();
            changes.Clear();
            trims.Clear();
            var writes = 0;
            while (writes < MaxGroupWrites && reader.TryRead(out var request))
            {
                if (request.IsTrim)
                {
                    trims.Add(request);
                    continue;
                }

                if (request.CancellationToken.IsCancellationRequested)
                {
                    request.Completion.TrySetCanceled(request.CancellationToken);
                    continue;
                }

                try
                {
                    group.Add((request, Decide(request.Writes, request.Encoded, staged, changes)));
                    writes += request.Writes.Length;
                }
                catch (Exception exception)
                {
                    // Handed to that caller, not swallowed: e.g. a damaged stored record it tried to replace.
                    request.Completion.TrySetException(exception);
                }
            }

            if (group.Count > 0)
            {
                CommitGroup(group, staged, changes);
            }

            if (trims.Count > 0)
            {
                Settle(trims, Trim);
            }
        }
    }

    private void CommitGroup(List<(PendingWrite Request, StoreWriteResult[] Results)> group, Dictionary<string, Staged> staged, List<Change> changes)
    {
        try
        {
            Commit(staged, changes);
        }
        catch (Exception exception)
        {
            // The batch is atomic: none of the group landed, so every request in it failed.
            var failure = Surface(exception);
            _diskFull |= failure is DiskFullException;
            foreach (var (request, _) in group)
            {
                request.Completion.TrySetException(failure);
            }

            return;
        }

        foreach (var (request, results) in group)
        {
            request.Completion.TrySetResult(results);
        }
    }

    /// <summary>Runs one maintenance step for every request that asked for it; a failure goes to each of them.</summary>
    private void Settle(List<PendingWrite> requests, Action step)
    {
        try
        {
            step();
        }
        catch (Exception exception)
        {
            var failure = Surface(exception);
            _diskFull |= failure is DiskFullException;
            foreach (var request in requests)
            {
                request.Completion.TrySetException(failure);
            }

            return;
        }

        foreach (var request in requests)
        {
            request.Completion.TrySetResult([]);
        }
    }

    /// <summary>
    /// Engine failures leave the store as <see cref="StoreUnavailableException"/>, so no RocksDB type
    /// reaches callers; a full disk (RocksDB's IOError NoSpace, from ENOSPC or EDQUOT) as <see cref="DiskFullException"/>.
    /// </summary>
    private static Exception Surface(Exception exception) => exception switch
    {
        RocksDbException when exception.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase)
            || exception.Message.Contains("Disk quota exceeded", StringComparison.OrdinalIgnoreCase) => DiskFull(exception),
        RocksDbException => new StoreUnavailableException("The embedded store failed: " + exception.Message, exception),
        _ => exception,
    };

    private static DiskFullException DiskFull(Exception? cause)
    {
        const string message = "the store's disk is full, so this write was not acknowledged; records already stored are still served. "
            + "Writes resume by themselves once space is freed on the node's store disk; sending the same request again is safe";
        return cause is null ? new DiskFullException(message) : new DiskFullException(message, cause);
    }

    /// <summary>
    /// Decides one request's writes in order against what is stored and what this group already
    /// decided. Nothing of the request is staged unless all of it could be decided, so a damaged
    /// record fails that one request without touching the rest of the group.
    /// </summary>
    private StoreWriteResult[] Decide(StoreWrite[] writes, Encoded[] encoded, Dictionary<string, Staged> staged, List<Change> changes)
    {
        var results = new StoreWriteResult[writes.Length];
        var mine = new Dictionary<string, Staged>(StringComparer.Ordinal);
        var logged = new List<Change>();
        var read = LoadUnstaged(writes, staged);
        for (var i = 0; i < writes.Length; i++)
        {
            var write = writes[i];
            HandleRecord? current;
            bool stored;
            if (mine.TryGetValue(write.Key, out var own) || staged.TryGetValue(write.Key, out own))
            {
                (current, stored) = (own.Record, own.Stored);
            }
            else
            {
                current = read[i];
                stored = current is not null;
            }

            if (write.ExpectedVersion != (current?.Version ?? StoreWrite.Absent))
            {
                results[i] = StoreWriteResult.Conflict(current);
                continue;
            }

            var decided = write.Record is null
                ? new Staged(null, null, null, stored)
                : new Staged(write.Record, encoded[i].Bytes ?? RecordCodec.Encode(write.Record), encoded[i].Display ?? KeyLayout.Utf8.GetBytes(write.Record.Handle), stored);
            mine[write.Key] = decided;
            results[i] = StoreWriteResult.Applied;

            // Every change is logged, also one a later write of the group overwrites; deleting nothing changes nothing.
            if ((decided.Record is not null || current is not null) && ChangeFeedScope.Includes(write.Key))
            {
                logged.Add(new Change(write.Key, decided.Record?.Version ?? current!.Version, decided.Bytes));
            }
        }

        foreach (var (key, change) in mine)
        {
            staged[key] = change;
        }

        changes.AddRange(logged);
        return results;
    }

    /// <summary>
    /// What the database holds for each write whose key this group has not decided yet, in one MultiGet:
    /// the writer loop is the one thread every write passes through, and a Get per write was most of its time.
    /// Nothing else writes meanwhile, so this is what a read at each write's turn would see; a key an earlier
    /// write of the request decides is taken from that decision instead, as before.
    /// </summary>
    private HandleRecord?[] LoadUnstaged(StoreWrite[] writes, Dictionary<string, Staged> staged)
    {
        var read = new HandleRecord?[writes.Length];
        var at = new List<int>(writes.Length);
        var keys = new List<string>(writes.Length);
        for (var i = 0; i < writes.Length; i++)
        {
            if (!staged.ContainsKey(writes[i].Key))
            {
                at.Add(i);
                keys.Add(writes[i].Key);
            }
        }

        if (keys.Count > 0)
        {
            var found = LoadMany(_db ?? throw Unopened(), keys);
            for (var k = 0; k < found.Count; k++)
            {
                read[at[k]] = found[k];
            }
        }

        return read;
    }

    private void Commit(Dictionary<string, Staged> staged, List<Change> changes)
    {
        if (staged.Count == 0)
        {
            return;
        }

        if (_diskFull && !TryRecover())
        {
            throw DiskFull(null);
        }

        var db = _db ?? throw Unopened();
        using var batch = new WriteBatch();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, change) in staged)
        {
            // Only creates and deletes move a counter; an overwrite or a create-then-delete in one group does not.
            var counted = (change.Record is null ? 0 : 1) - (change.Stored ? 1 : 0);
            if (counted != 0 && KeyLayout.PrefixOf(key) is { } prefix)
            {
                counts[prefix] = counts.GetValueOrDefault(prefix) + counted;
            }

            if (change.Record is null)
            {
                batch.Delete(KeyLayout.Record(key));
                batch.Delete(KeyLayout.Listing(key));
            }
            else
            {
                batch.Put(KeyLayout.Record(key), change.Bytes!);

                // Rewritten on every put: an overwrite may change the display spelling of the same key.
                batch.Put(KeyLayout.Listing(key), change.Display!);
            }
        }

        PrefixCounts.Stage(db, batch, counts);
        var (position, committed) = (_lastPosition, Math.Max(_time.GetUtcNow().ToUnixTimeMilliseconds(), _lastCommittedMilliseconds));
        foreach (var change in changes)
        {
            batch.Put(KeyLayout.Change(++position), ChangeLog.Encode(change.Key, change.Version, change.Bytes, committed));
        }

        if (position != _lastPosition)
        {
            batch.Put(KeyLayout.ChangesLast, StoredNumber.Encode(position));
        }

        db.Write(batch, _syncWrites);

        // Only once the batch landed: a failed one leaves the positions to the next.
        (_lastPosition, _lastCommittedMilliseconds) = (position, committed);
        Interlocked.Increment(ref _groupCommits);
    }

    /// <summary>Drops the change log entries retention no longer keeps, with the record of how far it dropped, in one batch.</summary>
    private void Trim()
    {
        if (_diskFull && !TryRecover())
        {
            throw DiskFull(null);
        }

        var db = _db ?? throw Unopened();
        var trimmed = Interlocked.Read(ref _trimmedThrough);
        var through = ChangeLog.TrimThrough(db, trimmed, _lastPosition, _changeLog, _time.GetUtcNow());
        if (through <= trimmed)
        {
            return;
        }

        using var batch = new WriteBatch();
        var (start, end) = (KeyLayout.Change(trimmed + 1), KeyLayout.Change(through + 1));
        batch.DeleteRange(start, (ulong)start.Length, end, (ulong)end.Length);
        batch.Put(KeyLayout.ChangesTrimmed, StoredNumber.Encode(through));
        db.Write(batch, _syncWrites);
        Interlocked.Exchange(ref _trimmedThrough, through);
    }

    /// <summary>
    /// After a write failed for lack of space RocksDB refuses every later write until it is resumed,
    /// which its C API cannot do, so the writer reopens it, once the disk has room for the write-ahead
    /// logs the reopen turns into a table file. A reopen that fails anyway is tried again after
    /// <see cref="RecoveryInterval"/>; meanwhile writes are refused at once and reads go on.
    /// </summary>
    private bool TryRecover()
    {
        if (Stopwatch.GetTimestamp() < _nextRecovery || FreeBytes() < LogBytes() + ReopenHeadroomBytes)
        {
            return false;
        }

        Reopen();
        if (_diskFull)
        {
            _nextRecovery = Stopwatch.GetTimestamp() + (long)(RecoveryInterval.TotalSeconds * Stopwatch.Frequency);
        }

        return !_diskFull;
    }

    /// <summary>Closes and opens the engine with readers paused; falls back to a read-only open so reads go on if there is still no room.</summary>
    private void Reopen()
    {
        Interlocked.Exchange(ref _pausing, 1);
        try
        {
            SpinWait.SpinUntil(() => Volatile.Read(ref _readers) == 0);
            ReleaseDumps();
            _db?.Dispose();
            _db = null;
            try
            {
                _db = RocksDb.Open(_dbOptions, _path);
                _diskFull = false;
            }
            catch (RocksDbException)
            {
                try
                {
                    _db = RocksDb.OpenReadOnly(_dbOptions, _path, false);
                }
                catch (RocksDbException)
                {
                    // Reads answer "unavailable" until a later attempt opens it; see Unopened.
                }
            }
        }
        finally
        {
            Volatile.Write(ref _pausing, 0);
        }
    }

    private long FreeBytes()
    {
        try
        {
            return new DriveInfo(_path).AvailableFreeSpace;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Unknown: try the reopen, which says for itself whether there is room.
            return long.MaxValue / 2;
        }
    }

    private long LogBytes() => new DirectoryInfo(_path).EnumerateFiles("*.log").Sum(file => file.Length);

    private sealed class PendingWrite(StoreWrite[] writes, Encoded[] encoded, CancellationToken cancellationToken, bool isTrim = false)
    {
        public StoreWrite[] Writes { get; } = writes;

        /// <summary>Each write's record as stored, by position (default for a delete).</summary>
        public Encoded[] Encoded { get; } = encoded;

        /// <summary>Not a write: a request to run change log retention in the loop, the log's only writer.</summary>
        public bool IsTrim { get; } = isTrim;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public TaskCompletionSource<IReadOnlyList<StoreWriteResult>> Completion { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);

        public static PendingWrite Trim() => new([], [], CancellationToken.None, isTrim: true);
    }

    /// <summary>A record's stored bytes and its display spelling, encoded before the write is queued.</summary>
    private readonly record struct Encoded(byte[]? Bytes, byte[]? Display)
    {
        /// <summary>
        /// Nothing for a delete, or for a record that cannot be encoded: the loop then encodes it when the write
        /// applies, and fails that request as before; a write that loses its compare-and-set never needed the bytes.
        /// </summary>
        public static Encoded Of(HandleRecord? record)
        {
            if (record is null)
            {
                return default;
            }

            try
            {
                return new Encoded(RecordCodec.Encode(record), KeyLayout.Utf8.GetBytes(record.Handle));
            }
            catch (ArgumentException)
            {
                return default;
            }
        }
    }

    /// <summary>
    /// A decided write: the record (null deletes) with its encoded bytes and display spelling, and
    /// whether the key held a record before this group (what its prefix's counter already counts).
    /// </summary>
    private readonly record struct Staged(HandleRecord? Record, byte[]? Bytes, byte[]? Display, bool Stored);

    /// <summary>One applied change for the change log: the version written (or deleted) and the record's bytes (null deletes).</summary>
    private readonly record struct Change(string Key, long Version, byte[]? Bytes);
}
