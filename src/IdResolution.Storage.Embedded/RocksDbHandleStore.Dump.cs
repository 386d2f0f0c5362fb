using IdResolution.Core.Records;
using IdResolution.Core.Storage;
using RocksDbSharp;

namespace IdResolution.Storage.Embedded;

/// <summary>
/// Dumps (<see cref="IStoreDump"/>): a RocksDB snapshot of the record space, taken with the newest change log
/// position it holds, so records and position agree exactly. A snapshot belongs to one open engine: the store
/// releases every open dump's snapshot before it closes or reopens the engine, and such a dump then fails
/// its next page as unavailable (the reader starts a new one).
/// </summary>
public sealed partial class RocksDbHandleStore
{
    // Records read per page of a dump: each page is one short read under the close guard.
    private const int DumpPageSize = 512;

    private readonly Lock _dumpsLock = new();
    private readonly HashSet<SnapshotDump> _dumps = [];

    public ValueTask<IDump> OpenDumpAsync(CancellationToken cancellationToken) =>
        Read(this, static (db, store) => (IDump)store.OpenDump(db), cancellationToken);

    private SnapshotDump OpenDump(RocksDb db)
    {
        var snapshot = db.CreateSnapshot();
        var readOptions = new ReadOptions().SetSnapshot(snapshot);
        var dump = new SnapshotDump(this, db, snapshot, ChangeLog.Number(db, KeyLayout.ChangesLast, readOptions));
        GC.KeepAlive(readOptions);
        lock (_dumpsLock)
        {
            _dumps.Add(dump);
        }

        return dump;
    }

    /// <summary>Runs with no reader inside, before the engine is disposed.</summary>
    private void ReleaseDumps()
    {
        lock (_dumpsLock)
        {
            foreach (var dump in _dumps)
            {
                dump.Release();
            }

            _dumps.Clear();
        }
    }

    private void Forget(SnapshotDump dump)
    {
        lock (_dumpsLock)
        {
            if (_dumps.Remove(dump))
            {
                dump.Release();
            }
        }
    }

    private sealed class SnapshotDump(RocksDbHandleStore store, RocksDb db, Snapshot snapshot, long position) : IDump
    {
        private readonly Lock _lock = new();
        private bool _released;

        public long Position => position;

        public async IAsyncEnumerable<DumpEntry> ReadAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            byte[]? after = null;
            while (true)
            {
                var (entries, last) = await store.Read((this, after), static (current, page) => page.Item1.Page(current, page.after), cancellationToken).ConfigureAwait(false);
                foreach (var entry in entries)
                {
                    yield return entry;
                }

                if (last is null)
                {
                    yield break;
                }

                after = last;
            }
        }

        public ValueTask DisposeAsync()
        {
            store.Forget(this);
            return ValueTask.CompletedTask;
        }

        public void Release()
        {
            lock (_lock)
            {
                if (!_released)
                {
                    _released = true;
                    snapshot.Dispose();
                }
            }
        }

        /// <summary>Up to a page of records after the record key <paramref name="after"/>; the last key read, or null at the end.</summary>
        private (List<DumpEntry> Entries, byte[]? Last) Page(RocksDb current, byte[]? after)
        {
            lock (_lock)
            {
                if (_released || !ReferenceEquals(current, db))
                {
                    throw new StoreUnavailableException("The embedded store was closed or reopened while a dump was read; the dump must be started again.");
                }

                var readOptions = new ReadOptions().SetSnapshot(snapshot).SetIterateUpperBound(KeyLayout.RecordSpaceEnd);
                var entries = new List<DumpEntry>(DumpPageSize);
                byte[]? last = null;
                using (var iterator = current.NewIterator(readOptions: readOptions))
                {
                    iterator.Seek(after is null ? KeyLayout.RecordSpaceStart : [.. after, 0]);
                    for (; iterator.Valid() && entries.Count < DumpPageSize; iterator.Next())
                    {
                        last = iterator.Key();
                        var key = KeyLayout.KeyOfRecord(last);
                        if (!ChangeFeedScope.Includes(key))
                        {
                            continue;
                        }

                        if (!RecordCodec.TryDecode(iterator.GetValueSpan(), out var record) || record is null)
                        {
                            throw new InvalidDataException($"The stored record of '{key}' is damaged and cannot be decoded.");
                        }

                        entries.Add(new DumpEntry(key, record));
                    }

                    if (!iterator.Valid())
                    {
                        last = null;
                    }
                }

                GC.KeepAlive(readOptions);
                return (entries, last);
            }
        }
    }
}
