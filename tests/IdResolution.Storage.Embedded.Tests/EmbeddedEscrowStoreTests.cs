using System.Text;
using IdResolution.Core.Escrow;
using IdResolution.Core.Records;
using IdResolution.Core.Storage;

namespace IdResolution.Storage.Embedded.Tests;

/// <summary>
/// The escrow copy in the embedded store: durable across a reopen, idempotent by (key, version), apart from
/// the node's own handles and change log, and summed per prefix exactly as the child sums its own store.
/// </summary>
public sealed class EmbeddedEscrowStoreTests : IDisposable
{
    private const string Child = "88.709";
    private readonly TempStoreDirectory _directory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Applied_changes_and_their_position_survive_a_reopen()
    {
        await using (var store = RocksDbHandleStore.Open(_directory.Options))
        {
            var escrow = new EmbeddedEscrowStore(store);
            Assert.Equal(new EscrowPosition(0, false, null), await escrow.PositionAsync(Child, Ct));
            await escrow.ApplyChangesAsync(Child, [Write(1, "88.709/A", 10), Write(2, "88.709/B", 10)], 2, Ct);
        }

        await using var reopened = RocksDbHandleStore.Open(_directory.Options);
        var again = new EmbeddedEscrowStore(reopened);
        var position = await again.PositionAsync(Child, Ct);
        Assert.Equal(2, position.Applied);
        Assert.False(position.DumpOpen);
        Assert.NotNull(position.AppliedAt);
        Assert.Equal(10, (await again.GetAsync(Child, "88.709/A", Ct))?.Version);
        Assert.Equal([Child], await again.NodesAsync(Ct));
    }

    [Fact]
    public async Task Replayed_and_older_entries_change_nothing_and_deletions_spare_newer_writes()
    {
        await using var store = RocksDbHandleStore.Open(_directory.Options);
        var escrow = new EmbeddedEscrowStore(store);
        await escrow.ApplyChangesAsync(Child, [Write(1, "88.709/A", 10), Write(2, "88.709/A", 12), Write(3, "88.709/B", 5)], 3, Ct);
        var before = await escrow.SummarizeAsync(Child, Ct);

        // The same page again, an older version, and a deletion of a version older than the copy's.
        await escrow.ApplyChangesAsync(Child, [Write(1, "88.709/A", 10), Write(2, "88.709/A", 12), Write(3, "88.709/B", 5)], 3, Ct);
        await escrow.ApplyChangesAsync(Child, [Write(4, "88.709/A", 11), Delete(5, "88.709/A", 11)], 5, Ct);

        Assert.Equal(before, await escrow.SummarizeAsync(Child, Ct));
        Assert.Equal(2, await escrow.CountAsync(Child, Ct));
        Assert.Equal(12, (await escrow.GetAsync(Child, "88.709/A", Ct))?.Version);

        await escrow.ApplyChangesAsync(Child, [Delete(6, "88.709/B", 5)], 6, Ct);
        Assert.Null(await escrow.GetAsync(Child, "88.709/B", Ct));
        Assert.Equal(6, (await escrow.PositionAsync(Child, Ct)).Applied);
        Assert.Equal((1L, 0L), (await escrow.CountAsync(Child, Ct), await escrow.CountAsync("88.710", Ct)));
    }

    [Fact]
    public async Task The_copy_stays_out_of_the_nodes_own_handles_and_change_log()
    {
        await using var store = RocksDbHandleStore.Open(_directory.Options);
        var escrow = new EmbeddedEscrowStore(store);
        await escrow.ApplyChangesAsync(Child, [Write(1, "88.709/A", 10)], 1, Ct);
        await escrow.BeginDumpAsync("88.710", Ct);
        await escrow.ApplyDumpAsync("88.710", [new DumpEntry("88.710/Z", Record("88.710/Z", 3))], Ct);
        await escrow.EndDumpAsync("88.710", 7, Ct);

        Assert.Null(await store.GetAsync("88.709/A", Ct));
        Assert.Equal(0, await store.LastChangePositionAsync(Ct));
        Assert.Empty((await store.ReadChangesAsync(0, 100, Ct)).Entries);
        await using var dump = await store.OpenDumpAsync(Ct);
        await foreach (var entry in dump.ReadAsync(Ct))
        {
            Assert.Fail("the node's dump carries an escrow copy: " + entry.Key);
        }

        // Each child's copy is its own.
        Assert.Null(await escrow.GetAsync(Child, "88.710/Z", Ct));
        Assert.Equal(3, (await escrow.GetAsync("88.710", "88.710/Z", Ct))?.Version);
        Assert.Equal(["88.709", "88.710"], (await escrow.NodesAsync(Ct)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_dump_empties_the_copy_stays_open_until_ended_and_a_new_one_starts_over()
    {
        await using var store = RocksDbHandleStore.Open(_directory.Options);
        var escrow = new EmbeddedEscrowStore(store);
        await escrow.ApplyChangesAsync(Child, [Write(1, "88.709/OLD", 1)], 1, Ct);

        await escrow.BeginDumpAsync(Child, Ct);
        Assert.Null(await escrow.GetAsync(Child, "88.709/OLD", Ct));
        await escrow.ApplyDumpAsync(Child, [new DumpEntry("88.709/HALF", Record("88.709/HALF", 1))], Ct);
        Assert.True((await escrow.PositionAsync(Child, Ct)).DumpOpen);

        await escrow.BeginDumpAsync(Child, Ct);
        await escrow.ApplyDumpAsync(Child, [new DumpEntry("88.709/A", Record("88.709/A", 4)), new DumpEntry("88.709/B", Record("88.709/B", 2))], Ct);
        await escrow.EndDumpAsync(Child, 40, Ct);

        var position = await escrow.PositionAsync(Child, Ct);
        Assert.Equal(40, position.Applied);
        Assert.False(position.DumpOpen);
        Assert.Null(await escrow.GetAsync(Child, "88.709/HALF", Ct));
        Assert.Equal(2, (await escrow.SummarizeAsync(Child, Ct)).Sum(p => p.Count));
    }

    [Fact]
    public async Task The_copys_checksums_equal_the_childs_own_computed_over_its_store()
    {
        var childDirectory = new TempStoreDirectory();
        try
        {
            await using var child = RocksDbHandleStore.Open(childDirectory.Options);
            var keys = Enumerable.Range(0, 300).Select(i => (i % 3 == 0 ? "88.709.1/" : "88.709/") + "R" + i).ToArray();
            await child.WriteAsync([.. keys.Select(k => StoreWrite.Create(k, Record(k, 10)))], Ct);
            await child.WriteAsync([StoreWrite.Replace(keys[5], 10, Record(keys[5], 11)), StoreWrite.Delete(keys[6], 10)], Ct);

            await using var parent = RocksDbHandleStore.Open(_directory.Options);
            var escrow = new EmbeddedEscrowStore(parent);

            // Half the log first, then the rest in pages, with a page replayed in between.
            var log = (await child.ReadChangesAsync(0, 10_000, Ct)).Entries;
            await escrow.ApplyChangesAsync(Child, [.. log.Take(150)], log[149].Position, Ct);
            await escrow.ApplyChangesAsync(Child, [.. log.Skip(100).Take(100)], log[199].Position, Ct);
            await escrow.ApplyChangesAsync(Child, [.. log.Skip(200)], log[^1].Position, Ct);

            var own = new PrefixChecksums();
            await using (var dump = await child.OpenDumpAsync(Ct))
            {
                await foreach (var entry in dump.ReadAsync(Ct))
                {
                    own.Add(entry.Key, entry.Record.Version);
                }
            }

            var expected = own.ToList();
            Assert.Equal(2, expected.Count);
            Assert.Equal(299, expected.Sum(p => p.Count));
            Assert.Equal(expected, await escrow.SummarizeAsync(Child, Ct));
        }
        finally
        {
            childDirectory.Dispose();
        }
    }

    [Fact]
    public void A_record_counted_twice_or_at_another_version_changes_the_prefix_checksum()
    {
        var once = new PrefixChecksums();
        once.Add("88.709/A", 1);
        once.Add("88.709/B", 1);
        var reordered = new PrefixChecksums();
        reordered.Add("88.709/B", 1);
        reordered.Add("88.709/A", 1);
        var twice = new PrefixChecksums();
        twice.Add("88.709/A", 1);
        twice.Add("88.709/A", 1);
        var newer = new PrefixChecksums();
        newer.Add("88.709/A", 2);
        newer.Add("88.709/B", 1);

        Assert.Equal(once.ToList(), reordered.ToList());
        Assert.NotEqual(once.ToList()[0].Checksum, twice.ToList()[0].Checksum);
        Assert.NotEqual(once.ToList()[0].Checksum, newer.ToList()[0].Checksum);
    }

    private static ChangeEntry Write(long position, string key, long version) => new(position, key, Record(key, version), version, DateTimeOffset.UnixEpoch);

    private static ChangeEntry Delete(long position, string key, long version) => new(position, key, null, version, DateTimeOffset.UnixEpoch);

    private static HandleRecord Record(string handle, long version) =>
        new(handle, [new HandleValue { Index = 1, Type = WellKnownTypes.Url, Data = Encoding.UTF8.GetBytes("https://example.org/" + handle) }], version);
}
