using System.Collections.Concurrent;
using IdResolution.Core.Storage;

namespace IdResolution.Storage.Cassandra;

/// <summary>
/// The change log (<see cref="IChangeFeed"/>) on Cassandra. A record is written by a single-partition
/// lightweight transaction, which no log row can join, so each write first logs what it is about to do
/// (<see cref="LogAsync"/>), then runs its transaction. A row may therefore announce a write that failed, or
/// be written a little out of position order by another instance. Readers see a row only once it is older
/// than <see cref="CassandraChangeLogOptions.SettleMilliseconds"/>, and deliver it only if the handle is still
/// exactly what the row says (the same record bytes, or absent for a deletion): rows of failed writes and
/// rows a later write superseded are dropped, so the newest row of every handle delivers its final state.
/// Consumers apply entries by (handle, version), so a row delivered twice changes nothing.
/// </summary>
internal sealed class CassandraChangeFeed
{
    // Rows sharing one position (drawn by two instances in the same microsecond) are never split between
    // pages; a page takes at most this many of them beyond its limit.
    private const int TiedRowsLimit = 1024;

    private readonly ICassandraSession _session;
    private readonly TimeProvider _time;
    private readonly ChangePositions _positions;
    private readonly TimeSpan _settle;
    private readonly TimeSpan _retention;
    private readonly int _ttlSeconds;
    private readonly int _confirmConcurrency;

    // The log began when a store with a change log first opened the keyspace (store_settings keeps when).
    private readonly long _start;

    // Where a reader from the start begins: an hour before the log began, for instances whose clocks are behind.
    private readonly long _scanFrom;
    private long _lastLogged;

    public CassandraChangeFeed(ICassandraSession session, CassandraChangeLogOptions options, TimeProvider time, DateTimeOffset started, int confirmConcurrency)
    {
        _session = session;
        _time = time;
        _positions = new ChangePositions(time);
        _settle = TimeSpan.FromMilliseconds(options.SettleMilliseconds);
        _retention = TimeSpan.FromHours(options.RetentionHours);
        _ttlSeconds = options.RetentionHours * 3600;
        _confirmConcurrency = confirmConcurrency;
        _start = ChangePositions.FirstAt(started);
        _scanFrom = ChangePositions.FirstOf(ChangePositions.Bucket(_start) - 1) - 1;
    }

    /// <summary>The newest position this instance logged (0 before its first).</summary>
    public long LastLogged => Interlocked.Read(ref _lastLogged);

    /// <summary>The oldest position the log can still hold: rows older than the retention have expired, or are about to.</summary>
    public long OldestKept => Math.Max(_scanFrom + 1, Horizon(_time.GetUtcNow()));

    /// <summary>The newest position whose row will have expired by <paramref name="at"/>.</summary>
    public long DroppedThrough(DateTimeOffset at) => Math.Max(0, Horizon(at) - 1);

    /// <summary>Logs the change <paramref name="plan"/> is about to make, before its transaction runs; null when it logs nothing.</summary>
    public async ValueTask<ChangeRow?> LogAsync(PlannedWrite plan)
    {
        if (plan.Kind is not (PlannedWriteKind.Create or PlannedWriteKind.Update or PlannedWriteKind.Delete) || !ChangeFeedScope.Includes(plan.Key))
        {
            return null;
        }

        var row = new ChangeRow(_positions.Next(), plan.Key, plan.Record?.Version ?? plan.Write.ExpectedVersion, plan.Encoded);
        await WriteAsync(row).ConfigureAwait(false);
        return row;
    }

    /// <summary>
    /// After a write committed: if it took half the settle window or more, a reader may already have passed
    /// its row and dropped it (the transaction had not landed yet), so the change is logged again at a new
    /// position. The copy is a duplicate a consumer ignores when it had the first.
    /// </summary>
    public async ValueTask RelogIfSlowAsync(ChangeRow row)
    {
        if (_time.GetUtcNow() - ChangePositions.TimeOf(row.Position) >= _settle / 2)
        {
            await WriteAsync(row with { Position = _positions.Next() }).ConfigureAwait(false);
        }
    }

    public async ValueTask<ChangePage> ReadAsync(long after, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(after);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var now = _time.GetUtcNow();
        var settled = ChangePositions.LastAt(now - _settle);
        var horizon = Horizon(now);
        if (_start < horizon && after < horizon - 1)
        {
            return new ChangePage([], after, Trimmed: true);
        }

        if (after >= settled)
        {
            return new ChangePage([], after, Trimmed: false);
        }

        var (rows, next) = await ScanAsync(Math.Max(after, _scanFrom), settled, limit, cancellationToken).ConfigureAwait(false);
        var entries = await ConfirmAsync(rows, cancellationToken).ConfigureAwait(false);
        return new ChangePage(entries, Math.Max(after, next), Trimmed: false);
    }

    /// <summary>The newest settled row's position (confirmed or not), or 0: newest hour first, back to where the log can hold rows.</summary>
    public async ValueTask<long> LastAsync(CancellationToken cancellationToken)
    {
        var settled = ChangePositions.LastAt(_time.GetUtcNow() - _settle);
        var oldest = ChangePositions.Bucket(OldestKept);
        for (var bucket = ChangePositions.Bucket(settled); bucket >= oldest; bucket--)
        {
            if (await _session.ReadLastChangeAsync(bucket, Math.Min(settled, ChangePositions.LastOf(bucket)), cancellationToken).ConfigureAwait(false) is { } last)
            {
                return last;
            }
        }

        return 0;
    }

    /// <summary>
    /// Rows before this position may be gone: their TTL runs out by the clocks of the Cassandra nodes, so the
    /// settle window is left as margin for skew.
    /// </summary>
    private long Horizon(DateTimeOffset now) => ChangePositions.FirstAt(now - _retention + _settle);

    private async ValueTask WriteAsync(ChangeRow row)
    {
        await _session.InsertChangeAsync(row, _ttlSeconds, CancellationToken.None).ConfigureAwait(false);
        InterlockedMax(ref _lastLogged, row.Position);
    }

    /// <summary>
    /// Up to <paramref name="limit"/> rows after <paramref name="after"/> up to <paramref name="settled"/>, hour by
    /// hour, and the position to continue after: the last row's, or the end of the last hour that was wholly
    /// settled and read to its end, so a reader moves on past empty hours.
    /// </summary>
    private async ValueTask<(List<ChangeRow> Rows, long Next)> ScanAsync(long after, long settled, int limit, CancellationToken cancellationToken)
    {
        var rows = new List<ChangeRow>();
        var next = after;
        for (var bucket = ChangePositions.Bucket(after + 1); bucket <= ChangePositions.Bucket(settled) && rows.Count < limit; bucket++)
        {
            var end = ChangePositions.LastOf(bucket);
            var upTo = Math.Min(settled, end);
            var wanted = limit - rows.Count;
            var found = await _session.ReadChangesAsync(bucket, Math.Max(next, ChangePositions.FirstOf(bucket) - 1), upTo, wanted + 1, cancellationToken).ConfigureAwait(false);
            if (found.Count <= wanted)
            {
                rows.AddRange(found);
                next = upTo == end ? end : found.Count > 0 ? found[^1].Position : next;
                continue;
            }

            // Full: end the page before the rows that share the first position past it, so none is skipped.
            var cut = wanted;
            while (cut > 0 && found[cut - 1].Position == found[wanted].Position)
            {
                cut--;
            }

            if (cut == 0)
            {
                found = await _session.ReadChangesAsync(bucket, found[0].Position - 1, found[0].Position, TiedRowsLimit, cancellationToken).ConfigureAwait(false);
                cut = found.Count;
            }

            rows.AddRange(found.Take(cut));
            next = found[cut - 1].Position;
            break;
        }

        return (rows, next);
    }

    /// <summary>
    /// The rows whose write is the handle's current state. Each handle is read once at the configured
    /// consistency; only when that leaves open whether the row's transaction may still land (the handle is
    /// absent, or older than the row) is it read again at SERIAL, which completes any Paxos round in flight.
    /// </summary>
    private async ValueTask<List<ChangeEntry>> ConfirmAsync(List<ChangeRow> rows, CancellationToken cancellationToken)
    {
        var current = new ConcurrentDictionary<string, byte[]?>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(
            rows.Select(row => row.Key).Distinct(StringComparer.Ordinal),
            new ParallelOptions { MaxDegreeOfParallelism = _confirmConcurrency, CancellationToken = cancellationToken },
            async (key, token) => current[key] = await _session.ReadRecordAsync(key, serial: false, token).ConfigureAwait(false)).ConfigureAwait(false);

        var serialRead = new HashSet<string>(StringComparer.Ordinal);
        var entries = new List<ChangeEntry>(rows.Count);
        foreach (var row in rows)
        {
            var verdict = Judge(row, current[row.Key]);
            if (verdict == Verdict.Open && serialRead.Add(row.Key))
            {
                current[row.Key] = await _session.ReadRecordAsync(row.Key, serial: true, cancellationToken).ConfigureAwait(false);
                verdict = Judge(row, current[row.Key]);
            }

            if (verdict == Verdict.Current)
            {
                var record = row.Record is null ? null : WriteOutcomes.Decode(row.Key, row.Record);
                entries.Add(new ChangeEntry(row.Position, row.Key, record, row.Version, ChangePositions.TimeOf(row.Position)));
            }
        }

        return entries;
    }

    /// <summary>
    /// Whether the handle's stored state is what the row announced. Versions of a handle only grow and are
    /// never reused, so a stored version past the row's means a later write superseded it (or beat it).
    /// </summary>
    private static Verdict Judge(ChangeRow row, byte[]? stored)
    {
        if (row.Record is null ? stored is null : stored is not null && stored.AsSpan().SequenceEqual(row.Record))
        {
            return Verdict.Current;
        }

        var version = stored is null ? (long?)null : WriteOutcomes.Decode(row.Key, stored).Version;
        return version is null || version <= row.Version ? Verdict.Open : Verdict.Superseded;
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var seen = Interlocked.Read(ref target);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    private enum Verdict
    {
        /// <summary>The handle is exactly what the row says: deliver it.</summary>
        Current,

        /// <summary>A later write replaced what the row says: drop it.</summary>
        Superseded,

        /// <summary>The row's write failed, or has not landed yet: drop it, after a serial read if not done yet.</summary>
        Open,
    }
}
