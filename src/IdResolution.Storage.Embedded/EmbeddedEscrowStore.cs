using System.Collections.Concurrent;
using IdResolution.Core.Escrow;
using IdResolution.Core.Records;
using IdResolution.Core.Storage;
using RocksDbSharp;

namespace IdResolution.Storage.Embedded;

/// <summary>
/// The escrow copies of a top level's children (<see cref="IEscrowStore"/>) in the node's own RocksDB, under key
/// spaces of their own (<see cref="EscrowKeys"/>): each apply is one synced batch of the records and the new
/// position, so a position recorded as applied always has its records. Applies of one child are serialised
/// (each reads the versions it compares with); different children's run side by side.
/// </summary>
public sealed class EmbeddedEscrowStore(RocksDbHandleStore store) : IEscrowStore
{
    private readonly ConcurrentDictionary<string, Lock> _nodeLocks = new(StringComparer.Ordinal);

    public ValueTask<EscrowPosition> PositionAsync(string nodeId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        return store.UseAsync(nodeId, static (db, node) => EscrowKeys.DecodePosition(db.Get(EscrowKeys.Position(node)), node), cancellationToken);
    }

    public async ValueTask ApplyChangesAsync(string nodeId, IReadOnlyList<ChangeEntry> changes, long appliedThrough, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentOutOfRangeException.ThrowIfNegative(appliedThrough);
        await store.UseAsync((escrow: this, nodeId, changes, appliedThrough), static (db, apply) =>
        {
            lock (apply.escrow.NodeLock(apply.nodeId))
            {
                var position = EscrowKeys.DecodePosition(db.Get(EscrowKeys.Position(apply.nodeId)), apply.nodeId);
                using var batch = new WriteBatch();
                var versions = Versions(db, apply.nodeId, apply.changes.Select(c => c.Key));
                foreach (var change in apply.changes)
                {
                    var current = versions[change.Key];
                    var key = EscrowKeys.Record(apply.nodeId, change.Key);
                    if (change.Record is null)
                    {
                        // A deletion removes the version it deleted or an older one, never a newer write.
                        if (current is { } version && version <= change.Version)
                        {
                            batch.Delete(key);
                            versions[change.Key] = null;
                        }
                    }
                    else if (current is null || change.Record.Version > current)
                    {
                        batch.Put(key, RecordCodec.Encode(change.Record));
                        versions[change.Key] = change.Record.Version;
                    }
                }

                batch.Put(EscrowKeys.Position(apply.nodeId),
                    EscrowKeys.EncodePosition(Math.Max(position.Applied, apply.appliedThrough), apply.escrow.Now, position.DumpOpen));
                apply.escrow.WriteDurably(db, batch);
                return true;
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask BeginDumpAsync(string nodeId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        await store.UseAsync((escrow: this, nodeId), static (db, begin) =>
        {
            lock (begin.escrow.NodeLock(begin.nodeId))
            {
                using var batch = new WriteBatch();
                var start = EscrowKeys.NodeStart(begin.nodeId);
                var end = EscrowKeys.NodeEnd(begin.nodeId);
                batch.DeleteRange(start, (ulong)start.Length, end, (ulong)end.Length);
                batch.Put(EscrowKeys.Position(begin.nodeId), EscrowKeys.EncodePosition(0, begin.escrow.Now, dumpOpen: true));
                begin.escrow.WriteDurably(db, batch);
                return true;
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask ApplyDumpAsync(string nodeId, IReadOnlyList<DumpEntry> records, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        ArgumentNullException.ThrowIfNull(records);
        await store.UseAsync((escrow: this, nodeId, records), static (db, apply) =>
        {
            lock (apply.escrow.NodeLock(apply.nodeId))
            {
                using var batch = new WriteBatch();
                var versions = Versions(db, apply.nodeId, apply.records.Select(r => r.Key));
                foreach (var record in apply.records)
                {
                    if (versions[record.Key] is not { } current || record.Record.Version > current)
                    {
                        batch.Put(EscrowKeys.Record(apply.nodeId, record.Key), RecordCodec.Encode(record.Record));
                        versions[record.Key] = record.Record.Version;
                    }
                }

                apply.escrow.WriteDurably(db, batch);
                return true;
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask EndDumpAsync(string nodeId, long position, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        await store.UseAsync((escrow: this, nodeId, position), static (db, end) =>
        {
            lock (end.escrow.NodeLock(end.nodeId))
            {
                using var batch = new WriteBatch();
                batch.Put(EscrowKeys.Position(end.nodeId), EscrowKeys.EncodePosition(end.position, end.escrow.Now, dumpOpen: false));
                end.escrow.WriteDurably(db, batch);
                return true;
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<HandleRecord?> GetAsync(string nodeId, string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        ArgumentException.ThrowIfNullOrEmpty(key);
        return store.UseAsync((nodeId, key), static (db, get) => db.Get(EscrowKeys.Record(get.nodeId, get.key)) is { } bytes ? Decode(get.key, bytes) : null, cancellationToken);
    }

    public ValueTask<long> CountAsync(string nodeId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        return store.UseAsync((nodeId, cancellationToken), static (db, count) =>
        {
            var readOptions = new ReadOptions().SetIterateUpperBound(EscrowKeys.NodeEnd(count.nodeId));
            long records = 0;
            using (var iterator = db.NewIterator(readOptions: readOptions))
            {
                for (iterator.Seek(EscrowKeys.NodeStart(count.nodeId)); iterator.Valid(); iterator.Next())
                {
                    // A copy of millions of records: a caller that gave up stops the scan.
                    if ((++records & 0xFFFF) == 0)
                    {
                        count.cancellationToken.ThrowIfCancellationRequested();
                    }
                }
            }

            GC.KeepAlive(readOptions);
            return records;
        }, cancellationToken);
    }

    public ValueTask<IReadOnlyList<PrefixChecksum>> SummarizeAsync(string nodeId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        return store.UseAsync(nodeId, static (db, node) =>
        {
            var sums = new PrefixChecksums();
            using var snapshot = db.CreateSnapshot();
            var readOptions = new ReadOptions().SetSnapshot(snapshot).SetIterateUpperBound(EscrowKeys.NodeEnd(node));
            using (var iterator = db.NewIterator(readOptions: readOptions))
            {
                for (iterator.Seek(EscrowKeys.NodeStart(node)); iterator.Valid(); iterator.Next())
                {
                    var key = EscrowKeys.KeyOf(node, iterator.GetKeySpan());
                    sums.Add(key, Decode(key, iterator.Value()).Version);
                }
            }

            GC.KeepAlive(readOptions);
            return sums.ToList();
        }, cancellationToken);
    }

    public ValueTask<IReadOnlyList<string>> NodesAsync(CancellationToken cancellationToken) =>
        store.UseAsync(0, static (db, _) =>
        {
            var nodes = new List<string>();
            var readOptions = new ReadOptions().SetIterateUpperBound(EscrowKeys.PositionSpaceEnd);
            using (var iterator = db.NewIterator(readOptions: readOptions))
            {
                for (iterator.Seek(EscrowKeys.PositionSpaceStart); iterator.Valid(); iterator.Next())
                {
                    nodes.Add(EscrowKeys.NodeOfPosition(iterator.GetKeySpan()));
                }
            }

            GC.KeepAlive(readOptions);
            return (IReadOnlyList<string>)nodes;
        }, cancellationToken);

    private DateTimeOffset Now => store.Time.GetUtcNow();

    private void WriteDurably(RocksDb db, WriteBatch batch) => store.WriteDurably(db, batch);

    private Lock NodeLock(string nodeId) => _nodeLocks.GetOrAdd(nodeId, static _ => new Lock());

    /// <summary>The copy's version of each key (null when it has none), read together.</summary>
    private static Dictionary<string, long?> Versions(RocksDb db, string node, IEnumerable<string> keys)
    {
        var distinct = keys.Distinct(StringComparer.Ordinal).ToArray();
        var found = db.MultiGet([.. distinct.Select(key => EscrowKeys.Record(node, key))]);
        var versions = new Dictionary<string, long?>(distinct.Length, StringComparer.Ordinal);
        for (var i = 0; i < distinct.Length; i++)
        {
            versions[distinct[i]] = found[i].Value is { } bytes ? Decode(distinct[i], bytes).Version : null;
        }

        return versions;
    }

    private static HandleRecord Decode(string key, byte[] bytes) =>
        RecordCodec.TryDecode(bytes, out var record) && record is not null
            ? record
            : throw new InvalidDataException($"The escrow copy of '{key}' ({bytes.Length} bytes) is damaged and cannot be decoded.");
}
