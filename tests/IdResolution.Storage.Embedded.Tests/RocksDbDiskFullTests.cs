using System.Diagnostics;
using System.Text;
using IdResolution.Core.Records;
using IdResolution.Core.Storage;
using IdResolution.Storage.Embedded.Tests.Disks;

namespace IdResolution.Storage.Embedded.Tests;

/// <summary>
/// The embedded store on a real 8 MiB tmpfs that fills up: writes are refused as
/// <see cref="DiskFullException"/>, reads go on, nothing refused is ever stored, and writes resume
/// by themselves once space is freed (RocksDB stays refused until reopened, which the store does).
/// </summary>
public sealed class RocksDbDiskFullTests
{
    private const string Prefix = "88.709.911";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_full_disk_refuses_writes_keeps_reads_and_writes_resume_when_space_returns()
    {
        using var disk = SmallFilesystem.MountOrSkip(8);
        var options = new EmbeddedStoreOptions { Path = Path.Combine(disk.Path, "store") };
        var kept = Enumerable.Range(0, 20).Select(i => $"{Prefix}/KEPT-{i:D2}").ToArray();
        var acknowledged = new List<string>(kept);
        var refused = new List<string>();
        await using (var store = RocksDbHandleStore.Open(options))
        {
            foreach (var key in kept)
            {
                Assert.Equal(StoreWriteResult.Applied, Assert.Single(await store.WriteAsync([StoreWrite.Create(key, Record(key, 1))], Ct)));
            }

            disk.Fill();

            // The last page of the write-ahead log may still take a write or two.
            DiskFullException? full = null;
            for (var i = 0; i < 100 && full is null; i++)
            {
                var key = $"{Prefix}/LATE-{i:D3}";
                try
                {
                    Assert.Equal(StoreWriteResult.Applied, Assert.Single(await store.WriteAsync([StoreWrite.Create(key, Record(key, 1))], Ct)));
                    acknowledged.Add(key);
                }
                catch (DiskFullException exception)
                {
                    full = exception;
                    refused.Add(key);
                }
            }

            Assert.NotNull(full);
            Assert.Contains("disk is full", full.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(disk.Path, full.Message, StringComparison.Ordinal);

            // Still full: refused again, at once.
            var again = $"{Prefix}/AGAIN";
            await Assert.ThrowsAsync<DiskFullException>(async () => await store.WriteAsync([StoreWrite.Create(again, Record(again, 1))], Ct));
            refused.Add(again);

            // Reads go on, and what was refused is not there.
            await AssertStoredAsync(store, acknowledged, refused);
            Assert.Equal(acknowledged.Order(StringComparer.Ordinal), (await store.ListAsync(Prefix, null, 1000, Ct)).Handles.Select(h => h.Key));

            disk.Free();

            // Without reopening the store from outside: the first write after the space returned may still be refused.
            var resumed = $"{Prefix}/RESUMED";
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    Assert.Equal(StoreWriteResult.Applied, Assert.Single(await store.WriteAsync([StoreWrite.Create(resumed, Record(resumed, 1))], Ct)));
                    acknowledged.Add(resumed);
                    break;
                }
                catch (DiskFullException) when (deadline.Elapsed < TimeSpan.FromSeconds(20))
                {
                    await Task.Delay(50, Ct);
                }
            }

            await AssertStoredAsync(store, acknowledged, refused);
        }

        // And so it stays after a reopen: the refused writes left nothing behind to replay.
        await using var reopened = RocksDbHandleStore.Open(options);
        await AssertStoredAsync(reopened, acknowledged, refused);
    }

    private static async Task AssertStoredAsync(RocksDbHandleStore store, IEnumerable<string> acknowledged, IEnumerable<string> refused)
    {
        foreach (var key in acknowledged)
        {
            Assert.Equal("https://example.org/" + key, Encoding.UTF8.GetString((await store.GetAsync(key, Ct))!.Values[0].Data.Span));
        }

        foreach (var key in refused)
        {
            Assert.Null(await store.GetAsync(key, Ct));
        }

        // The change log holds the acknowledged writes only, at dense positions across the engine's reopen.
        var log = (await store.ReadChangesAsync(0, 1000, Ct)).Entries;
        Assert.Equal(acknowledged, log.Select(e => e.Key));
        Assert.Equal(Enumerable.Range(1, log.Count).Select(i => (long)i), log.Select(e => e.Position));
    }

    private static HandleRecord Record(string handle, long version) =>
        new(handle, [new HandleValue { Index = 1, Type = WellKnownTypes.Url, Data = Encoding.UTF8.GetBytes("https://example.org/" + handle) }], version);
}
