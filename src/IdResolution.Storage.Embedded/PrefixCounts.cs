using RocksDbSharp;

namespace IdResolution.Storage.Embedded;

/// <summary>
/// The number of handles under each prefix (<see cref="KeyLayout.Count"/>). Counters change only in
/// the writer loop's batches, in the same atomic write as the records they count, so a counter read
/// from the database is always the one of the last committed group: the loop is the only writer, and
/// RocksDB's lock keeps any other process out of the directory.
/// </summary>
internal static class PrefixCounts
{
    /// <summary>
    /// Makes sure every prefix has its counter. A database written before counters existed is counted
    /// once, from the listing index (keys only, no record is decoded), and the counters are written in
    /// one synced batch with the marker, before the store takes its first write.
    /// </summary>
    public static void EnsureKept(RocksDb db, WriteOptions syncWrites)
    {
        if (db.Get(KeyLayout.CountsKept) is not null)
        {
            return;
        }

        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var listing = new ReadOptions().SetIterateUpperBound(KeyLayout.ListingSpaceEnd);
        using (var iterator = db.NewIterator(readOptions: listing))
        {
            for (iterator.Seek(KeyLayout.ListingSpaceStart); iterator.Valid(); iterator.Next())
            {
                if (KeyLayout.PrefixOf(KeyLayout.KeyOfListing(iterator.GetKeySpan())) is { } prefix)
                {
                    counts[prefix] = counts.GetValueOrDefault(prefix) + 1;
                }
            }
        }

        using var batch = new WriteBatch();
        var stale = new ReadOptions().SetIterateUpperBound(KeyLayout.CountSpaceEnd);
        using (var iterator = db.NewIterator(readOptions: stale))
        {
            for (iterator.Seek(KeyLayout.CountSpaceStart); iterator.Valid(); iterator.Next())
            {
                batch.Delete(iterator.Key());
            }
        }

        foreach (var (prefix, count) in counts)
        {
            batch.Put(KeyLayout.Count(prefix), StoredNumber.Encode(count));
        }

        batch.Put(KeyLayout.CountsKept, new byte[] { 1 });
        db.Write(batch, syncWrites);
        GC.KeepAlive(listing);
        GC.KeepAlive(stale);
    }

    public static long Read(RocksDb db, string prefixKey) =>
        StoredNumber.Decode(db.Get(KeyLayout.Count(prefixKey)), $"handle count of prefix '{prefixKey}'");

    /// <summary>Adds each prefix's change to its counter in <paramref name="batch"/>; a counter that reaches 0 is removed.</summary>
    public static void Stage(RocksDb db, WriteBatch batch, Dictionary<string, long> changes)
    {
        foreach (var (prefix, change) in changes)
        {
            if (change == 0)
            {
                continue;
            }

            var count = Read(db, prefix) + change;
            if (count > 0)
            {
                batch.Put(KeyLayout.Count(prefix), StoredNumber.Encode(count));
            }
            else
            {
                batch.Delete(KeyLayout.Count(prefix));
            }
        }
    }
}
