using IdResolution.Core.Storage;

namespace IdResolution.Storage.Cassandra.Tests;

/// <summary>
/// An in-memory stand-in for the cluster, answering each statement as Cassandra does: conditional
/// writes decided atomically per handle, a refused INSERT IF NOT EXISTS carrying the existing row, a
/// refused UPDATE/DELETE IF carrying only <c>version</c> (null when there is no row), listing rows as
/// plain writes; change log rows, cursors and leases with their TTLs, on <see cref="Time"/>. It outlives
/// the sessions opened on it, as a cluster outlives a node's restarts, and every store opened on it
/// shares its data, as the instances of a node share a cluster.
/// </summary>
internal sealed class FakeCassandra(TimeProvider? time = null)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (string Handle, long Version, byte[] Record)> _handles = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Prefix, int Bucket), SortedSet<string>> _listing = [];
    private readonly Dictionary<string, string> _settings = new(StringComparer.Ordinal);
    private readonly SortedDictionary<(long Position, string Key, long Version), (ChangeRow Row, DateTimeOffset Expires)> _changes = new(ChangeOrder.Instance);
    private readonly Dictionary<string, long> _cursors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Owner, DateTimeOffset Expires)> _leases = new(StringComparer.Ordinal);

    /// <summary>The cluster's clock: TTLs run on it.</summary>
    public TimeProvider Time { get; } = time ?? TimeProvider.System;

    /// <summary>
    /// Runs before each conditional write of a handle is decided, outside the cluster's lock: a test holds a
    /// write here (between its log row and its transaction) while other writers and readers go on.
    /// </summary>
    public Func<PlannedWrite, Task>? BeforeConditional { get; set; }

    /// <summary>Every change log row ever written, expired or not, in clustering order.</summary>
    public IReadOnlyList<ChangeRow> ChangeRows
    {
        get
        {
            lock (_lock)
            {
                return [.. _changes.Values.Select(v => v.Row)];
            }
        }
    }

    public List<string> SchemaStatements { get; } = [];

    /// <summary>Conditional writes whose answer is lost after being applied (a CAS write timeout).</summary>
    public int LoseAnswers { get; set; }

    /// <summary>Conditional writes whose answer is lost and which are not applied.</summary>
    public int DropWrites { get; set; }

    /// <summary>Lease inserts whose answer is lost after being applied.</summary>
    public int LoseLeaseAnswers { get; set; }

    public int SerialReads { get; private set; }

    /// <summary>Serial reads refused as unavailable (as when the Paxos read itself cannot reach a quorum).</summary>
    public int FailSerialReads { get; set; }

    /// <summary>Conditional writes of handles received, answered or not.</summary>
    public int ConditionalWrites { get; private set; }

    public int ListingRows
    {
        get
        {
            lock (_lock)
            {
                return _listing.Values.Sum(rows => rows.Count);
            }
        }
    }

    public ICassandraSession OpenSession() => new Session(this);

    /// <summary>A listing row whose create never reached its record.</summary>
    public void AddOrphanListingRow(string key, int buckets)
    {
        lock (_lock)
        {
            AddListing(new ListingRow(ListingBucket.PrefixOf(key), ListingBucket.Of(key, buckets), key));
        }
    }

    private void AddListing(ListingRow row)
    {
        if (!_listing.TryGetValue((row.Prefix, row.Bucket), out var keys))
        {
            _listing[(row.Prefix, row.Bucket)] = keys = new SortedSet<string>(Utf8Order.Instance);
        }

        keys.Add(row.Key);
    }

    /// <summary>The holder of a lease whose TTL has not run out, or null.</summary>
    private string? Lease(string name) =>
        _leases.TryGetValue(name, out var lease) && lease.Expires > Time.GetUtcNow() ? lease.Owner : null;

    /// <summary>
    /// Applies a conditional write as the cluster does, without a client: a lost try that a later Paxos round
    /// finishes after all. Counted among <see cref="ConditionalWrites"/>.
    /// </summary>
    public void Finish(PlannedWrite write) => Conditional(write);

    private LwtResponse Conditional(PlannedWrite write)
    {
        lock (_lock)
        {
            ConditionalWrites++;
            if (DropWrites > 0)
            {
                DropWrites--;
                throw new CasOutcomeUnknownException("dropped");
            }

            var exists = _handles.TryGetValue(write.Key, out var row);
            LwtResponse response;
            switch (write.Kind)
            {
                case PlannedWriteKind.Create when exists:
                    return new LwtResponse(false, row.Version, [.. row.Record]);
                case PlannedWriteKind.Create:
                    _handles[write.Key] = (write.Record!.Handle, write.Record.Version, [.. write.Encoded!]);
                    response = LwtResponse.Success;
                    break;
                case PlannedWriteKind.Update or PlannedWriteKind.Delete when !exists:
                    return new LwtResponse(false, null, null);
                case PlannedWriteKind.Update or PlannedWriteKind.Delete when row.Version != write.Write.ExpectedVersion:
                    return new LwtResponse(false, row.Version, null);
                case PlannedWriteKind.Update:
                    _handles[write.Key] = (write.Record!.Handle, write.Record.Version, [.. write.Encoded!]);
                    response = LwtResponse.Success;
                    break;
                case PlannedWriteKind.Delete:
                    _handles.Remove(write.Key);
                    response = LwtResponse.Success;
                    break;
                default:
                    throw new InvalidOperationException($"{write.Kind} has no conditional statement.");
            }

            if (LoseAnswers > 0)
            {
                LoseAnswers--;
                throw new CasOutcomeUnknownException("lost");
            }

            return response;
        }
    }

    /// <summary>A stand-in for Murmur3: a 64-bit FNV-1a of the key's UTF-8, never <see cref="long.MinValue"/>, so scan order is not key order.</summary>
    private static long TokenOf(string key)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(key))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        var token = unchecked((long)hash);
        return token == long.MinValue ? long.MaxValue : token;
    }

    private sealed class Session(FakeCassandra cluster) : ICassandraSession
    {
        private bool _closed;

        public async ValueTask<byte[]?> ReadRecordAsync(string key, bool serial, CancellationToken cancellationToken)
        {
            await EnterAsync(cancellationToken);
            lock (cluster._lock)
            {
                cluster.SerialReads += serial ? 1 : 0;
                if (serial && cluster.FailSerialReads > 0)
                {
                    cluster.FailSerialReads--;
                    throw new StoreUnavailableException("Cassandra answered Unavailable: 1 replica alive of 2 required for LOCAL_SERIAL.");
                }

                return cluster._handles.TryGetValue(key, out var row) ? [.. row.Record] : null;
            }
        }

        public async ValueTask<IReadOnlyList<TokenRow>> ReadRecordsAfterTokenAsync(long afterToken, int limit, CancellationToken cancellationToken)
        {
            await EnterAsync(cancellationToken);
            lock (cluster._lock)
            {
                return [.. cluster._handles.Select(pair => new TokenRow(TokenOf(pair.Key), pair.Key, [.. pair.Value.Record]))
                    .Where(row => row.Token > afterToken).OrderBy(row => row.Token).Take(limit)];
            }
        }

        public async ValueTask<LwtResponse> ExecuteConditionalAsync(PlannedWrite write, CancellationToken cancellationToken)
        {
            await EnterAsync(cancellationToken);
            if (cluster.BeforeConditional is { } hold)
            {
                await hold(write);
            }

            return cluster.Conditional(write);
        }

        public async ValueTask InsertChangeAsync(ChangeRow row, int ttlSeconds, CancellationToken cancellationToken)
        {
            await EnterAsync(cancellationToken);
            lock (cluster._lock)
            {
                cluster._changes[(row.Position, row.Key, row.Version)] = (row with { Record = row.Record is null ? null : [.. row.Record] }, cluster.Time.GetUtcNow().AddSeconds(ttlSeconds));
            }
        }

        public async ValueTask<IReadOnlyList<ChangeRow>> ReadChangesAsync(long bucket, long after, long upTo, int limit, CancellationToken cancellationToken)
        {
            await EnterAsync(cancellationToken);
            lock (cluster._lock)
            {
                var now = cluster.Time.GetUtcNow();
                return [.. cluster._changes.Values
                    .Where(v => v.Expires > now && v.Row.Bucket == bucket && v.Row.Position > after && v.Row.Position <= upTo)
                    .Select(v => v.Row)
                    .Take(limit)];
            }
        }

        public async ValueTask<long?> ReadLastChangeAsync(long bucket, long upTo, CancellationToken cancellationToken)
        {
            await EnterAsync(cancellationToken);
            lock (cluster._lock)
            {
                var now = cluster.Time.GetUtcNow();
                return cluster._changes.Values.Where(v => v.Expires > now && v.Row.Bucket == bucket && v.Row.Position <= upTo)
                    .Select(v => (long?)v.Row.Position).LastOrDefault();
            }
        }

        public async ValueTask<long?> ReadCursorAsync(string name, CancellationToken cancellationToken)
        {
            await EnterAsync(cancellationToken);
            lock (cluster._lock)
            {
                return cluster._cursors.TryGetValue(name, out var position) ? position : null;
            }
        }

        public async ValueTask WriteCursorAsync(string name, long position, CancellationToken cancellationToken)
        {
            await EnterAsync(cancellationToken);
            lock (cluster._lock)
            {
                cluster._cursors[name] = position;
            }
        }

        public async ValueTask<(bool Applied, string? Holder)> InsertLeaseAsync(string name, string owner, int ttlSeconds, CancellationToken cancellationToken)
        {
            await EnterAsync(cancellationToken);
            lock (cluster._lock)
            {
                if (cluster.Lease(name) is { } holder)
                {
                    return (false, holder);
                }

                cluster._leases[name] = (owner, cluster.Time.GetUtcNow().AddSeconds(ttlSeconds));
                if (cluster.LoseLeaseAnswers > 0)
                {
                    cluster.LoseLeaseAnswers--;
                    throw new CasOutcomeUnknownException("lost");
                }

                return (true, null);
            }
        }

        public async ValueTask<bool> RenewLeaseAsync(string name, string owner, int ttlSeconds, CancellationToken cancellationToken)
        {
            await EnterAsync(cancellationToken);
            lock (cluster._lock)
            {
                if (cluster.Lease(name) != owner)
                {
                    return false;
                }

                cluster._leases[name] = (owner, cluster.Time.GetUtcNow().AddSeconds(ttlSeconds));
                return true;
            }
        }

        public async ValueTask ReleaseLeaseAsync(string name, string owner, CancellationToken cancellationToken)
        {
            await EnterAsync(cancellationToken);
            lock (cluster._lock)
            {
                if (cluster.Lease(name) == owner)
                {
                    cluster._leases.Remove(name);
                }
            }
        }

        public async ValueTask InsertListingAsync(ListingRow row, CancellationToken cancellationToken)
        {
            await EnterAsync(cancellationToken);
            lock (cluster._lock)
            {
                cluster.AddListing(row);
            }
        }

        public async ValueTask<(bool Applied, string? Stored)> InsertSettingAsync(string name, string value, CancellationToken cancellationToken)
        {
            await EnterAsync(cancellationToken);
            lock (cluster._lock)
            {
                return cluster._settings.TryAdd(name, value) ? (true, null) : (false, cluster._settings[name]);
            }
        }

        public async ValueTask ExecuteSchemaAsync(string statement, CancellationToken cancellationToken)
        {
            await EnterAsync(cancellationToken);
            lock (cluster._lock)
            {
                cluster.SchemaStatements.Add(statement);
            }
        }

        public async ValueTask<CassandraReadiness> CheckReadinessAsync(CancellationToken cancellationToken)
        {
            await EnterAsync(cancellationToken);
            return new CassandraReadiness(true, "in memory", new Dictionary<string, object>());
        }

        public async ValueTask<IReadOnlyList<string>> ReadBucketAsync(string prefix, int bucket, string afterKey, int limit, CancellationToken cancellationToken)
        {
            await EnterAsync(cancellationToken);
            lock (cluster._lock)
            {
                return cluster._listing.TryGetValue((prefix, bucket), out var keys)
                    ? [.. keys.Where(k => Utf8Order.Instance.Compare(k, afterKey) > 0).Take(limit)]
                    : [];
            }
        }

        public async ValueTask<string?> ReadDisplayAsync(string key, CancellationToken cancellationToken)
        {
            await EnterAsync(cancellationToken);
            lock (cluster._lock)
            {
                return cluster._handles.TryGetValue(key, out var row) ? row.Handle : null;
            }
        }

        public ValueTask DisposeAsync()
        {
            _closed = true;
            return ValueTask.CompletedTask;
        }

        /// <summary>Every statement is asynchronous, as over a network, so concurrent writers interleave.</summary>
        private async ValueTask EnterAsync(CancellationToken cancellationToken)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
        }
    }

    /// <summary>The clustering order of <c>change_log</c>: position, then key as UTF-8 bytes, then version.</summary>
    private sealed class ChangeOrder : IComparer<(long Position, string Key, long Version)>
    {
        public static readonly ChangeOrder Instance = new();

        public int Compare((long Position, string Key, long Version) x, (long Position, string Key, long Version) y)
        {
            var byPosition = x.Position.CompareTo(y.Position);
            if (byPosition != 0)
            {
                return byPosition;
            }

            var byKey = Utf8Order.Instance.Compare(x.Key, y.Key);
            return byKey != 0 ? byKey : x.Version.CompareTo(y.Version);
        }
    }
}
