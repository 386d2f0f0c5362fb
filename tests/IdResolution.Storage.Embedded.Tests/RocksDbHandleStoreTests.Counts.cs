using System.Text;
using IdResolution.Core.Storage;
using RocksDbSharp;

namespace IdResolution.Storage.Embedded.Tests;

/// <summary>
/// The counter per prefix: right after a crash (the files of a store that was never closed), and
/// computed once for a database written before counters existed.
/// </summary>
public sealed partial class RocksDbHandleStoreTests
{
    [Fact]
    public async Task The_counts_of_a_store_that_was_never_closed_are_right_when_its_files_are_opened_again()
    {
        using var crashImage = new TempStoreDirectory();
        var keys = Enumerable.Range(0, 400).Select(i => $"{Prefix}/CRASH-{i:D4}").ToArray();
        var store = RocksDbHandleStore.Open(_directory.Options);
        try
        {
            // Shared (group) commits, as under load: creates back to back, then every third deleted.
            var created = await Task.WhenAll(keys.Select(k => store.WriteAsync([StoreWrite.Create(k, Record(k, 10))], Ct).AsTask()));
            Assert.All(created, r => Assert.Equal(StoreWriteResult.Applied, Assert.Single(r)));
            var deleted = await Task.WhenAll(keys.Where((_, i) => i % 3 == 0).Select(k => store.WriteAsync([StoreWrite.Delete(k, 10)], Ct).AsTask()));
            Assert.All(deleted, r => Assert.Equal(StoreWriteResult.Applied, Assert.Single(r)));
            Assert.Equal(266, await store.CountAsync(Prefix, Ct));

            // Every write above was acknowledged, so it is in the synced write-ahead log. A copy of the
            // directory now is what a process killed at this moment leaves behind: nothing flushed, no close.
            CopyDirectory(_directory.Path, crashImage.Path);
        }
        finally
        {
            await store.DisposeAsync();
        }

        await using var recovered = RocksDbHandleStore.Open(crashImage.Options);
        Assert.Equal(266, await recovered.CountAsync(Prefix, Ct));
        Assert.Equal(266, (await recovered.ListAsync(Prefix, null, 1000, Ct)).Handles.Count);

        // And it goes on counting from there.
        await recovered.WriteAsync([StoreWrite.Delete(keys[1], 10), StoreWrite.Create(keys[0], Record(keys[0], 20))], Ct);
        Assert.Equal(266, await recovered.CountAsync(Prefix, Ct));
    }

    [Fact]
    public async Task A_database_written_before_counters_existed_is_counted_once_when_opened()
    {
        await using (var store = RocksDbHandleStore.Open(_directory.Options))
        {
            var keys = Enumerable.Range(0, 30).Select(i => $"{Prefix}/OLD-{i:D2}").Append("88.709.912/OTHER").Append("0.NA/88.709.911").ToArray();
            await store.WriteAsync([.. keys.Select(k => StoreWrite.Create(k, Record(k, 10)))], Ct);
        }

        // Remove what this version adds, and leave a counter the listing does not back (as from a damaged earlier attempt).
        using (var raw = RocksDb.Open(new DbOptions(), _directory.Path))
        {
            using var iterator = raw.NewIterator();
            var counters = new List<byte[]>();
            for (iterator.Seek("c:"u8.ToArray()); iterator.Valid() && iterator.Key()[0] == (byte)'c'; iterator.Next())
            {
                counters.Add(iterator.Key());
            }

            Assert.Equal(3, counters.Count);
            foreach (var key in counters)
            {
                raw.Remove(key);
            }

            raw.Remove("m:counts-kept"u8.ToArray());
            raw.Put("c:88.709.999"u8.ToArray(), BitConverter.GetBytes(7L));
        }

        await using var reopened = RocksDbHandleStore.Open(_directory.Options);
        Assert.Equal(30, await reopened.CountAsync(Prefix, Ct));
        Assert.Equal(1, await reopened.CountAsync("88.709.912", Ct));
        Assert.Equal(1, await reopened.CountAsync("0.NA", Ct));
        Assert.Equal(0, await reopened.CountAsync("88.709.999", Ct));

        await reopened.WriteAsync([StoreWrite.Create($"{Prefix}/NEW", Record($"{Prefix}/NEW", 10))], Ct);
        Assert.Equal(31, await reopened.CountAsync(Prefix, Ct));
    }

    [Fact]
    public async Task A_damaged_counter_fails_the_count_clearly()
    {
        await using (var store = RocksDbHandleStore.Open(_directory.Options))
        {
            await store.WriteAsync([StoreWrite.Create($"{Prefix}/A", Record($"{Prefix}/A", 10))], Ct);
        }

        using (var raw = RocksDb.Open(new DbOptions(), _directory.Path))
        {
            raw.Put(Encoding.UTF8.GetBytes("c:" + Prefix), new byte[] { 1, 2, 3 });
        }

        await using var reopened = RocksDbHandleStore.Open(_directory.Options);
        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await reopened.CountAsync(Prefix, Ct));
        Assert.Contains(Prefix, error.Message, StringComparison.Ordinal);
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
