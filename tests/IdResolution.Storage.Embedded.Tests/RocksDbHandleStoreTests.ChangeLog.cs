using IdResolution.Core.Storage;
using Microsoft.Extensions.Time.Testing;

namespace IdResolution.Storage.Embedded.Tests;

/// <summary>
/// The change log in RocksDB: one entry per applied change in the change's own batch, at dense positions
/// that survive a crash; retention by size and age, and what a reader behind it is told.
/// </summary>
public sealed partial class RocksDbHandleStoreTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 10, 20, 0, TimeSpan.Zero);

    [Fact]
    public async Task Every_acknowledged_change_of_concurrent_writers_has_one_entry_at_dense_positions_that_a_crash_image_keeps()
    {
        using var crashImage = new TempStoreDirectory();
        var keys = Enumerable.Range(0, 200).Select(i => $"{Prefix}/LOG-{i:D3}").ToArray();
        var expected = new List<(string Key, long Version, bool Deleted)>();
        var store = RocksDbHandleStore.Open(_directory.Options);
        try
        {
            // Shared commits: creates back to back, then replaces and deletes of the same keys, then one
            // request that creates, replaces and deletes a key within the same group.
            await Task.WhenAll(keys.Select(k => store.WriteAsync([StoreWrite.Create(k, Record(k, 10))], Ct).AsTask()));
            expected.AddRange(keys.Select(k => (k, 10L, false)));
            await Task.WhenAll(keys.Select((k, i) => store.WriteAsync(
                [i % 4 == 0 ? StoreWrite.Delete(k, 10) : StoreWrite.Replace(k, 10, Record(k, 20))], Ct).AsTask()));
            expected.AddRange(keys.Select((k, i) => (k, i % 4 == 0 ? 10L : 20L, i % 4 == 0)));
            const string churn = Prefix + "/CHURN";
            var results = await store.WriteAsync([StoreWrite.Create(churn, Record(churn, 30)), StoreWrite.Replace(churn, 30, Record(churn, 31)), StoreWrite.Delete(churn, 31)], Ct);
            Assert.All(results, r => Assert.Equal(StoreWriteResult.Applied, r));
            expected.AddRange([(churn, 30, false), (churn, 31, false), (churn, 31, true)]);
            await store.WriteCursorAsync("filed", 123, Ct);

            // Acknowledged, so in the synced write-ahead log: a copy now is what a process killed now leaves.
            CopyDirectory(_directory.Path, crashImage.Path);
        }
        finally
        {
            await store.DisposeAsync();
        }

        await using var recovered = RocksDbHandleStore.Open(crashImage.Options);
        var entries = (await recovered.ReadChangesAsync(0, 10_000, Ct)).Entries;

        Assert.Equal(Enumerable.Range(1, expected.Count).Select(i => (long)i), entries.Select(e => e.Position));
        Assert.Equal(expected.Order(), entries.Select(e => (e.Key, e.Version, e.IsDeletion)).Order());
        Assert.Equal(expected.Count, await recovered.LastChangePositionAsync(Ct));
        Assert.Equal(123, await recovered.ReadCursorAsync("filed", Ct));
        Assert.All(entries.Where(e => !e.IsDeletion), e => Assert.Equal(e.Version, e.Record!.Version));

        // The churned key's three changes are in the order they were made, next to each other.
        var churned = entries.SkipWhile(e => e.Key != Prefix + "/CHURN").Take(3).Select(e => (e.Version, e.IsDeletion));
        Assert.Equal([(30L, false), (31L, false), (31L, true)], churned);

        // And it goes on from there.
        await recovered.WriteAsync([StoreWrite.Create(keys[0], Record(keys[0], 40))], Ct);
        Assert.Equal(expected.Count + 1, Assert.Single((await recovered.ReadChangesAsync(expected.Count, 10, Ct)).Entries).Position);
    }

    [Fact]
    public async Task Retention_by_size_drops_the_oldest_entries_and_tells_a_reader_behind_them_to_start_over()
    {
        var time = new FakeTimeProvider(Start);
        var options = new ChangeLogOptions { MaxEntries = 5 };
        await using (var store = RocksDbHandleStore.Open(_directory.Options, options, time))
        {
            foreach (var i in Enumerable.Range(0, 12))
            {
                var key = $"{Prefix}/SIZE-{i:D2}";
                await store.WriteAsync([StoreWrite.Create(key, Record(key, 10))], Ct);
            }

            Assert.Equal(1, store.OldestChangePosition);
            Assert.Equal(7, await store.TrimmableThroughAsync(Ct));

            await store.TrimChangesAsync();

            Assert.Equal(8, store.OldestChangePosition);
            Assert.Equal(7, await store.TrimmableThroughAsync(Ct));
        }

        await using var reopened = RocksDbHandleStore.Open(_directory.Options, options, time);
        Assert.Equal(8, reopened.OldestChangePosition);
        Assert.True((await reopened.ReadChangesAsync(0, 100, Ct)).Trimmed);
        var behind = await reopened.ReadChangesAsync(6, 100, Ct);
        Assert.True(behind.Trimmed);
        Assert.Empty(behind.Entries);
        Assert.Equal(6, behind.Next);
        var kept = await reopened.ReadChangesAsync(7, 100, Ct);
        Assert.False(kept.Trimmed);
        Assert.Equal([8L, 9, 10, 11, 12], kept.Entries.Select(e => e.Position));
        Assert.Equal(12, await reopened.LastChangePositionAsync(Ct));
    }

    [Fact]
    public async Task Retention_by_age_drops_entries_older_than_the_retention_when_its_minute_comes()
    {
        var time = new FakeTimeProvider(Start);
        await using var store = RocksDbHandleStore.Open(_directory.Options, new ChangeLogOptions { RetentionHours = 1 }, time);
        foreach (var i in Enumerable.Range(0, 3))
        {
            var key = $"{Prefix}/OLD-{i}";
            await store.WriteAsync([StoreWrite.Create(key, Record(key, 10))], Ct);
        }

        time.Advance(TimeSpan.FromMinutes(40));
        foreach (var i in Enumerable.Range(0, 2))
        {
            var key = $"{Prefix}/NEW-{i}";
            await store.WriteAsync([StoreWrite.Create(key, Record(key, 10))], Ct);
        }

        var entries = (await store.ReadChangesAsync(0, 100, Ct)).Entries;
        Assert.Equal([Start, Start, Start, Start.AddMinutes(40), Start.AddMinutes(40)], entries.Select(e => e.CommittedAt));
        Assert.Equal(0, await store.TrimmableThroughAsync(Ct));

        // An hour and ten minutes after the first three: they go at the next minute's run, the others stay.
        time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(3, await store.TrimmableThroughAsync(Ct));
        await UntilAsync(() => store.OldestChangePosition == 4, "retention has run", () => time.Advance(TimeSpan.FromMinutes(1)));

        Assert.Equal([4L, 5], (await store.ReadChangesAsync(3, 100, Ct)).Entries.Select(e => e.Position));
        Assert.True((await store.ReadChangesAsync(2, 100, Ct)).Trimmed);
    }

    private static async Task UntilAsync(Func<bool> condition, string what, Action step)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            step();
            await Task.Delay(10, Ct);
        }
    }
}
