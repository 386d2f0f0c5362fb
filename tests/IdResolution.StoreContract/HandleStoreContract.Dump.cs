using IdResolution.Core.Storage;

namespace IdResolution.StoreContract;

/// <summary>The dump a parent starts its escrow from: every record but accounts, and where to replay the change log from.</summary>
public abstract partial class HandleStoreContract
{
    /// <summary>
    /// Whether a dump is a consistent snapshot (the embedded store): it holds exactly what the store held when
    /// it was opened. A fuzzy dump (Cassandra) may also hold later writes; replaying the log settles them.
    /// </summary>
    protected virtual bool DumpIsSnapshot => true;

    [Fact]
    public async Task Dump_of_an_empty_store_has_no_records_and_replays_from_the_start()
    {
        var store = await OpenAsync();
        await SettleChangesAsync(store);

        await using var dump = await DumpOf(store).OpenDumpAsync(Ct);

        Assert.Equal(0, dump.Position);
        Assert.Empty(await ReadAllAsync(dump));
    }

    [Fact]
    public async Task Dump_holds_every_record_once_but_no_account_and_the_position_of_the_newest_change()
    {
        var store = await OpenAsync();
        var handles = Enumerable.Range(0, 1500).Select(i => $"{Prefix}/dump-{i:D4}").ToArray();
        long version = 100;
        foreach (var chunk in handles.Chunk(250))
        {
            await store.WriteAsync([.. chunk.Select(h => StoreWrite.Create(Key(h), Record(h, ++version, Text(1, h))))], Ct);
        }

        var deleted = handles.Where((_, i) => i % 7 == 0).ToArray();
        foreach (var handle in deleted)
        {
            await WriteOneAsync(store, StoreWrite.Delete(Key(handle), (await store.GetAsync(Key(handle), Ct))!.Version));
        }

        await WriteOneAsync(store, StoreWrite.Create(Account, Record(Account, ++version, Text(1, "hash", "HS_SECKEY"))));
        await SettleChangesAsync(store);

        await using var dump = await DumpOf(store).OpenDumpAsync(Ct);
        var entries = await ReadAllAsync(dump);

        Assert.Equal(await store.LastChangePositionAsync(Ct), dump.Position);
        Assert.DoesNotContain(entries, e => e.Key == Account);
        Assert.Equal(handles.Except(deleted).Select(Key).Order(StringComparer.Ordinal), entries.Select(e => e.Key).Order(StringComparer.Ordinal));
        foreach (var entry in entries)
        {
            AssertSameRecord((await store.GetAsync(entry.Key, Ct))!, entry.Record);
        }
    }

    [Fact]
    public async Task Dump_then_the_change_log_after_its_position_gives_exactly_what_the_store_holds()
    {
        var store = await OpenAsync();
        var handles = Enumerable.Range(0, 40).Select(i => $"{Prefix}/sync-{i:D2}").ToArray();
        long version = 100;
        await store.WriteAsync([.. handles.Take(30).Select(h => StoreWrite.Create(Key(h), Record(h, ++version, Text(1, h))))], Ct);
        await SettleChangesAsync(store);
        var before = await SnapshotOfAsync(store, handles);

        await using var dump = await DumpOf(store).OpenDumpAsync(Ct);

        // Writes while the dump is open: replaced, deleted and new handles.
        foreach (var handle in handles.Take(10))
        {
            var current = await store.GetAsync(Key(handle), Ct);
            await WriteOneAsync(store, StoreWrite.Replace(Key(handle), current!.Version, Record(handle, ++version, Text(1, "after the dump"))));
        }

        foreach (var handle in handles.Skip(10).Take(10))
        {
            await WriteOneAsync(store, StoreWrite.Delete(Key(handle), (await store.GetAsync(Key(handle), Ct))!.Version));
        }

        await store.WriteAsync([.. handles.Skip(30).Select(h => StoreWrite.Create(Key(h), Record(h, ++version, Text(1, h))))], Ct);
        var entries = await ReadAllAsync(dump);
        await SettleChangesAsync(store);

        if (DumpIsSnapshot)
        {
            Assert.Equal(before.Keys.Order(StringComparer.Ordinal), entries.Select(e => e.Key).Order(StringComparer.Ordinal));
            Assert.All(entries, e => Assert.Equal(before[e.Key], e.Record.Version));
        }

        var replica = new FeedReplica();
        replica.Apply(entries.Select(e => new ChangeEntry(0, e.Key, e.Record, e.Record.Version, DateTimeOffset.UnixEpoch)));
        replica.Apply(await FeedReplica.ReadAllAsync(store, 16, Ct, dump.Position));

        await replica.AssertHoldsWhatAsync(store, handles.Select(Key), Ct);
        Assert.Equal(30, replica.Keys.Count());
    }

    protected static IStoreDump DumpOf(IHandleStore store) => Assert.IsAssignableFrom<IStoreDump>(store);

    protected static async Task<List<DumpEntry>> ReadAllAsync(IDump dump)
    {
        ArgumentNullException.ThrowIfNull(dump);
        var entries = new List<DumpEntry>();
        await foreach (var entry in dump.ReadAsync(Ct))
        {
            entries.Add(entry);
        }

        Assert.Equal(entries.Count, entries.Select(e => e.Key).Distinct(StringComparer.Ordinal).Count());
        return entries;
    }

    private static async Task<Dictionary<string, long>> SnapshotOfAsync(IHandleStore store, IEnumerable<string> handles)
    {
        var held = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var handle in handles)
        {
            if (await store.GetAsync(Key(handle), Ct) is { } record)
            {
                held[Key(handle)] = record.Version;
            }
        }

        return held;
    }
}
