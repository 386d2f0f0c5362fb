using IdResolution.Core.Storage;

namespace IdResolution.StoreContract;

/// <summary>The change log: every applied change of every handle but accounts, in commit order, readable from any position.</summary>
public abstract partial class HandleStoreContract
{
    private const string Account = "0.USER/feed-alice";

    [Fact]
    public async Task Feed_of_a_store_without_changes_is_empty_and_stays_put()
    {
        var store = await OpenAsync();
        await SettleChangesAsync(store);

        var page = await store.ReadChangesAsync(0, 100, Ct);
        var again = await store.ReadChangesAsync(page.Next, 100, Ct);

        Assert.Equal(0, await store.LastChangePositionAsync(Ct));
        Assert.Empty(page.Entries);
        Assert.False(page.Trimmed);
        Assert.Empty(again.Entries);
        Assert.Equal(page.Next, again.Next);
        Assert.False(again.Trimmed);
    }

    [Fact]
    public async Task Feed_holds_every_create_replace_and_delete_once_in_commit_order_with_its_record_and_version()
    {
        var store = await OpenAsync();
        const string a = Prefix + "/feed-a";
        const string b = Prefix + "/feed-b";
        var (a10, b11, a12) = (Record(a, 10, Text(1, "a")), Record(b, 11, Text(1, "b"), Text(2, "b2")), Record(a, 12, Text(1, "a again")));
        var seen = new List<ChangeEntry>();
        var cursor = 0L;

        // Read after each write, as a consumer that keeps up does.
        foreach (var write in new[] { StoreWrite.Create(Key(a), a10), StoreWrite.Create(Key(b), b11), StoreWrite.Replace(Key(a), 10, a12), StoreWrite.Delete(Key(b), 11) })
        {
            Assert.Equal(StoreWriteStatus.Applied, (await WriteOneAsync(store, write)).Status);
            await SettleChangesAsync(store);
            var page = await store.ReadChangesAsync(cursor, 100, Ct);
            seen.AddRange(page.Entries);
            cursor = page.Next;
        }

        // Writes that change nothing add nothing: a losing create, a stale replace, a delete of nothing.
        Assert.Equal(StoreWriteStatus.Conflict, (await WriteOneAsync(store, StoreWrite.Create(Key(a), Record(a, 13, Text(1, "lost"))))).Status);
        Assert.Equal(StoreWriteStatus.Conflict, (await WriteOneAsync(store, StoreWrite.Replace(Key(a), 10, Record(a, 14, Text(1, "stale"))))).Status);
        Assert.Equal(StoreWriteStatus.Applied, (await WriteOneAsync(store, StoreWrite.Delete(Key(Prefix + "/feed-never"), StoreWrite.Absent))).Status);
        await SettleChangesAsync(store);
        seen.AddRange((await store.ReadChangesAsync(cursor, 100, Ct)).Entries);

        Assert.Equal(
            [(Key(a), 10L, false), (Key(b), 11L, false), (Key(a), 12L, false), (Key(b), 11L, true)],
            seen.Select(e => (e.Key, e.Version, e.IsDeletion)));
        AssertSameRecord(a10, seen[0].Record);
        AssertSameRecord(b11, seen[1].Record);
        AssertSameRecord(a12, seen[2].Record);
        Assert.Null(seen[3].Record);
        AssertIncreasing(seen);
        Assert.True(seen[^1].Position <= await store.LastChangePositionAsync(Ct));
    }

    [Fact]
    public async Task Feed_applied_in_order_gives_exactly_what_the_store_holds()
    {
        var store = await OpenAsync();
        var handles = Enumerable.Range(0, 30).Select(i => $"{Prefix}/replay-{i:D2}").ToArray();
        const string again = Prefix + "/replay-again";
        long version = 100;
        var applied = 0;
        foreach (var chunk in handles.Chunk(8))
        {
            applied += Count(await store.WriteAsync([.. chunk.Select(h => StoreWrite.Create(Key(h), Record(h, ++version, Text(1, h))))], Ct));
        }

        foreach (var handle in handles.Take(10))
        {
            var current = await store.GetAsync(Key(handle), Ct);
            applied += Count(await store.WriteAsync([StoreWrite.Replace(Key(handle), current!.Version, Record(handle, ++version, Text(1, "replaced"), Text(2, handle)))], Ct));
        }

        foreach (var handle in handles.Skip(5).Take(10))
        {
            applied += Count(await store.WriteAsync([StoreWrite.Delete(Key(handle), (await store.GetAsync(Key(handle), Ct))!.Version)], Ct));
        }

        // One batch that creates, deletes and creates the same handle again, beside an account.
        applied += Count(await store.WriteAsync(
        [
            StoreWrite.Create(Key(again), Record(again, ++version, Text(1, "first"))),
            StoreWrite.Delete(Key(again), version),
            StoreWrite.Create(Key(again), Record(again, ++version, Text(1, "second"))),
            StoreWrite.Create(Account, Record(Account, ++version, Text(1, "secret", "HS_SECKEY"))),
        ], Ct)) - 1;
        await SettleChangesAsync(store);

        var entries = await FeedReplica.ReadAllAsync(store, 7, Ct);
        var replica = new FeedReplica();
        replica.Apply(entries);

        AssertIncreasing(entries);
        Assert.DoesNotContain(entries, e => e.Key == Account);
        await replica.AssertHoldsWhatAsync(store, handles.Append(again).Select(Key), Ct);
        Assert.Equal(21, replica.Keys.Count());
        if (ChangeLogKeepsEveryChange)
        {
            Assert.Equal(applied, entries.Count);
        }
    }

    [Fact]
    public async Task Feed_read_after_any_position_gives_exactly_the_entries_that_follow_it()
    {
        var store = await OpenAsync();
        var handles = Enumerable.Range(0, 12).Select(i => $"{Prefix}/from-{i:D2}").ToArray();
        foreach (var (handle, i) in handles.Select((h, i) => (h, i)))
        {
            await WriteOneAsync(store, StoreWrite.Create(Key(handle), Record(handle, 10 + i, Text(1, handle))));
        }

        await SettleChangesAsync(store);
        var all = (await store.ReadChangesAsync(0, 1000, Ct)).Entries;
        Assert.Equal(handles.Select(Key), all.Select(e => e.Key));

        for (var i = 0; i < all.Count; i++)
        {
            var rest = await store.ReadChangesAsync(all[i].Position, 1000, Ct);
            Assert.False(rest.Trimmed);
            Assert.Equal(all.Skip(i + 1).Select(e => e.Position), rest.Entries.Select(e => e.Position));
        }
    }

    [Fact]
    public async Task Feed_pages_follow_one_another_without_gap_or_overlap()
    {
        var store = await OpenAsync();
        var handles = Enumerable.Range(0, 25).Select(i => $"{Prefix}/page-{i:D2}").ToArray();
        await store.WriteAsync([.. handles.Select((h, i) => StoreWrite.Create(Key(h), Record(h, 10 + i, Text(1, h))))], Ct);
        await SettleChangesAsync(store);

        var whole = (await store.ReadChangesAsync(0, 1000, Ct)).Entries;
        var paged = new List<ChangeEntry>();
        var after = 0L;
        for (var pages = 0; pages < 100; pages++)
        {
            var page = await store.ReadChangesAsync(after, 4, Ct);
            Assert.True(page.Entries.Count <= 4);
            Assert.True(page.Next >= after);
            paged.AddRange(page.Entries);
            if (page.Entries.Count == 0 && page.Next == after)
            {
                break;
            }

            after = page.Next;
        }

        Assert.Equal(25, whole.Count);
        Assert.Equal(whole.Select(e => (e.Position, e.Key)), paged.Select(e => (e.Position, e.Key)));
    }

    [Fact]
    public async Task Feed_never_holds_an_account()
    {
        var store = await OpenAsync();
        const string handle = Prefix + "/not-an-account";
        await WriteOneAsync(store, StoreWrite.Create(Account, Record(Account, 10, Text(1, "hash", "HS_SECKEY"))));
        await WriteOneAsync(store, StoreWrite.Create(Key(handle), Record(handle, 11, Text(1, handle))));
        await WriteOneAsync(store, StoreWrite.Replace(Account, 10, Record(Account, 12, Text(1, "new hash", "HS_SECKEY"))));
        await WriteOneAsync(store, StoreWrite.Delete(Account, 12));
        await SettleChangesAsync(store);

        var entries = (await store.ReadChangesAsync(0, 1000, Ct)).Entries;

        Assert.Equal([Key(handle)], entries.Select(e => e.Key));
    }

    [Fact]
    public async Task Feed_positions_go_on_growing_after_reopening()
    {
        var store = await OpenAsync();
        var handles = Enumerable.Range(0, 5).Select(i => $"{Prefix}/reopen-{i}").ToArray();
        foreach (var (handle, i) in handles.Take(3).Select((h, i) => (h, i)))
        {
            await WriteOneAsync(store, StoreWrite.Create(Key(handle), Record(handle, 10 + i, Text(1, handle))));
        }

        await SettleChangesAsync(store);
        var before = (await store.ReadChangesAsync(0, 1000, Ct)).Entries;
        await store.DisposeAsync();

        var reopened = await OpenAsync();
        foreach (var (handle, i) in handles.Skip(3).Select((h, i) => (h, i)))
        {
            await WriteOneAsync(reopened, StoreWrite.Create(Key(handle), Record(handle, 20 + i, Text(1, handle))));
        }

        await SettleChangesAsync(reopened);
        var after = (await reopened.ReadChangesAsync(0, 1000, Ct)).Entries;

        Assert.Equal(handles.Select(Key), after.Select(e => e.Key));
        Assert.Equal(before.Select(e => e.Position), after.Take(3).Select(e => e.Position));
        AssertIncreasing(after);
        Assert.Equal(after[^1].Position, await reopened.LastChangePositionAsync(Ct));
    }

    protected static void AssertIncreasing(IReadOnlyList<ChangeEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        for (var i = 1; i < entries.Count; i++)
        {
            Assert.True(entries[i - 1].Position < entries[i].Position, $"position {entries[i].Position} follows {entries[i - 1].Position}");
        }
    }

    private static int Count(IReadOnlyList<StoreWriteResult> results) => results.Count(r => r.Status == StoreWriteStatus.Applied);
}
