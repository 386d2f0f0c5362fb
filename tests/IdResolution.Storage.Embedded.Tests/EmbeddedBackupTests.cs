using System.Collections.Concurrent;
using System.Text;
using IdResolution.Core.Records;
using IdResolution.Core.Storage;

namespace IdResolution.Storage.Embedded.Tests;

/// <summary>Online backups of the embedded store (checkpoint, manifest, checksums) and restores from them.</summary>
public sealed class EmbeddedBackupTests : IDisposable
{
    private const string Prefix = "88.709.912";
    private readonly TempStoreDirectory _store = new();
    private readonly TempStoreDirectory _backup = new();
    private readonly TempStoreDirectory _restored = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _store.Dispose();
        _backup.Dispose();
        _restored.Dispose();
        if (Directory.Exists(_restored.Path + ".restoring"))
        {
            Directory.Delete(_restored.Path + ".restoring", recursive: true);
        }
    }

    [Fact]
    public async Task A_backup_taken_under_write_load_restores_to_a_store_with_its_records_and_feed_position()
    {
        var acknowledged = new ConcurrentQueue<string>();
        BackupSummary summary;
        List<string> beforeBackup;
        await using (var store = RocksDbHandleStore.Open(_store.Options))
        {
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var key = $"{Prefix}/W{w}-{i:D6}";
                    await store.WriteAsync([StoreWrite.Create(key, Record(key))], CancellationToken.None);
                    acknowledged.Enqueue(key);
                }
            }, CancellationToken.None)).ToArray();

            await WaitForAsync(() => acknowledged.Count >= 500);
            beforeBackup = [.. acknowledged];
            summary = await store.BackupAsync(_backup.Path, Ct);
            await WaitForAsync(() => acknowledged.Count >= beforeBackup.Count + summary.Records + 200);
            await stop.CancelAsync();
            await Task.WhenAll(writers);
            Assert.True(await store.LastChangePositionAsync(Ct) > summary.FeedPosition, "the writes went on past the backup");
        }

        Assert.InRange(summary.Records, beforeBackup.Count, acknowledged.Count - 1);
        Assert.Equal(summary.Records, summary.FeedPosition);

        var restored = EmbeddedBackup.Restore(_backup.Path, _restored.Path);

        Assert.Equal((summary.FeedPosition, summary.Records, summary.RecordsSha256), (restored.FeedPosition, restored.Records, restored.RecordsSha256));
        Assert.Equal(new StoreDigest(summary.FeedPosition, summary.Records, summary.RecordsSha256), StoreDigest.Of(_restored.Path));
        await using var reopened = RocksDbHandleStore.Open(_restored.Options);
        Assert.Equal(summary.FeedPosition, await reopened.LastChangePositionAsync(Ct));
        Assert.Equal(summary.Records, await reopened.CountAsync(Prefix, Ct));
        foreach (var key in beforeBackup)
        {
            Assert.Equal(key, (await reopened.GetAsync(key, Ct))?.Handle);
        }
    }

    [Fact]
    public async Task A_damaged_backup_file_is_refused_and_leaves_no_store_behind()
    {
        await BackupOfAsync(50);
        var file = Directory.GetFiles(Path.Combine(_backup.Path, EmbeddedBackup.StoreFolder), "*.sst").First();
        var bytes = await File.ReadAllBytesAsync(file, Ct);
        bytes[bytes.Length / 2] ^= 0xFF;
        await File.WriteAllBytesAsync(file, bytes, Ct);

        var refused = Assert.Throws<BackupRefusedException>(() => EmbeddedBackup.Restore(_backup.Path, _restored.Path));

        Assert.Contains("damaged", refused.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_restored.Path));
        Assert.False(Directory.Exists(_restored.Path + ".restoring"));
    }

    [Fact]
    public async Task A_backup_without_its_manifest_is_incomplete_and_refused()
    {
        await BackupOfAsync(10);
        File.Delete(Path.Combine(_backup.Path, EmbeddedBackup.ManifestName));

        var refused = Assert.Throws<BackupRefusedException>(() => EmbeddedBackup.Restore(_backup.Path, _restored.Path));

        Assert.Contains("did not finish", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restore_never_writes_over_a_store_that_is_there()
    {
        await BackupOfAsync(10);
        Directory.CreateDirectory(_restored.Path);
        await File.WriteAllTextAsync(Path.Combine(_restored.Path, "CURRENT"), "MANIFEST-000001\n", Ct);

        Assert.Throws<BackupRefusedException>(() => EmbeddedBackup.Restore(_backup.Path, _restored.Path));

        Assert.Equal("MANIFEST-000001\n", await File.ReadAllTextAsync(Path.Combine(_restored.Path, "CURRENT"), Ct));
    }

    [Fact]
    public async Task A_backup_into_a_used_directory_or_into_the_store_itself_is_refused()
    {
        await using var store = RocksDbHandleStore.Open(_store.Options);
        Directory.CreateDirectory(_backup.Path);
        await File.WriteAllTextAsync(Path.Combine(_backup.Path, "keep.txt"), "x", Ct);

        await Assert.ThrowsAsync<BackupRefusedException>(async () => await store.BackupAsync(_backup.Path, Ct));
        await Assert.ThrowsAsync<BackupRefusedException>(async () => await store.BackupAsync(Path.Combine(_store.Path, "backup"), Ct));
        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(_backup.Path).Select(Path.GetFileName));
    }

    private async Task BackupOfAsync(int records)
    {
        await using var store = RocksDbHandleStore.Open(_store.Options);
        var writes = Enumerable.Range(0, records).Select(i => StoreWrite.Create($"{Prefix}/R-{i:D4}", Record($"{Prefix}/R-{i:D4}"))).ToArray();
        await store.WriteAsync(writes, Ct);
        await store.BackupAsync(_backup.Path, Ct);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the writers made no progress within 60 s");
            await Task.Delay(10, Ct);
        }
    }

    private static HandleRecord Record(string handle) =>
        new(handle, [new HandleValue { Index = 1, Type = WellKnownTypes.Url, Data = Encoding.UTF8.GetBytes("https://example.org/" + handle) }], 10);
}
