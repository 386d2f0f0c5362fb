using System.Text;
using IdResolution.Core.Records;
using IdResolution.Core.Storage;
using RocksDbSharp;

namespace IdResolution.Storage.Embedded.Tests;

/// <summary>What is particular to the embedded store: group commit, closing, damaged data, the directory.</summary>
public sealed partial class RocksDbHandleStoreTests : IDisposable
{
    private const string Prefix = "88.709.911";
    private readonly TempStoreDirectory _directory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Concurrent_writers_share_synced_commits_and_every_acknowledged_write_survives_reopening()
    {
        const int count = 300;
        var keys = Enumerable.Range(0, count).Select(i => $"{Prefix}/GROUP-{i:D4}").ToArray();
        await using (var store = RocksDbHandleStore.Open(_directory.Options))
        {
            // Issued back to back without awaiting, as many request handlers would.
            var writes = keys.Select(k => store.WriteAsync([StoreWrite.Create(k, Record(k, 10))], Ct).AsTask()).ToArray();
            var results = await Task.WhenAll(writes);

            Assert.All(results, r => Assert.Equal(StoreWriteResult.Applied, Assert.Single(r)));
            Assert.InRange(store.GroupCommits, 1, count - 1);
        }

        await using var reopened = RocksDbHandleStore.Open(_directory.Options);
        foreach (var key in keys)
        {
            Assert.Equal(key, (await reopened.GetAsync(key, Ct))?.Handle);
        }
    }

    [Fact]
    public async Task Dispose_completes_every_write_queued_before_it()
    {
        var keys = Enumerable.Range(0, 100).Select(i => $"{Prefix}/QUEUED-{i:D3}").ToArray();
        var store = RocksDbHandleStore.Open(_directory.Options);
        var writes = keys.Select(k => store.WriteAsync([StoreWrite.Create(k, Record(k, 10))], Ct).AsTask()).ToArray();

        await store.DisposeAsync();

        Assert.All(writes, w => Assert.True(w.IsCompletedSuccessfully));
        Assert.All(writes, w => Assert.Equal(StoreWriteResult.Applied, Assert.Single(w.Result)));
        await using var reopened = RocksDbHandleStore.Open(_directory.Options);
        Assert.Equal(keys.Length, (await reopened.ListAsync(Prefix, null, 1000, Ct)).Handles.Count);
    }

    [Fact]
    public async Task A_disposed_store_refuses_reads_and_writes_and_disposing_again_is_harmless()
    {
        var store = RocksDbHandleStore.Open(_directory.Options);
        await store.DisposeAsync();
        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.GetAsync(Prefix + "/X", Ct));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.ListAsync(Prefix, null, 10, Ct));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.WriteAsync([StoreWrite.Create(Prefix + "/X", Record(Prefix + "/X", 1))], Ct));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.CheckHealthAsync(Ct));
    }

    [Fact]
    public async Task Damaged_record_bytes_surface_as_a_clear_exception_and_the_store_keeps_serving()
    {
        const string damaged = Prefix + "/DAMAGED";
        const string healthy = Prefix + "/HEALTHY";
        await using (var store = RocksDbHandleStore.Open(_directory.Options))
        {
            await store.WriteAsync([StoreWrite.Create(damaged, Record(damaged, 10)), StoreWrite.Create(healthy, Record(healthy, 10))], Ct);
        }

        using (var raw = RocksDb.Open(new DbOptions(), _directory.Path))
        {
            var bytes = raw.Get(KeyLayout.Record(damaged));
            raw.Put(KeyLayout.Record(damaged), bytes.AsSpan(0, bytes.Length / 2));
        }

        await using var reopened = RocksDbHandleStore.Open(_directory.Options);

        var read = await Assert.ThrowsAsync<InvalidDataException>(async () => await reopened.GetAsync(damaged, Ct));
        Assert.Contains(damaged, read.Message, StringComparison.Ordinal);
        var write = await Assert.ThrowsAsync<InvalidDataException>(async () =>
            await reopened.WriteAsync([StoreWrite.Create(Prefix + "/NEW", Record(Prefix + "/NEW", 20)), StoreWrite.Delete(damaged, 10)], Ct));
        Assert.Contains(damaged, write.Message, StringComparison.Ordinal);

        // The failed request wrote nothing, not even its first item; everything else still works.
        Assert.Null(await reopened.GetAsync(Prefix + "/NEW", Ct));
        Assert.Equal(healthy, (await reopened.GetAsync(healthy, Ct))?.Handle);
        Assert.Equal(StoreWriteResult.Applied, Assert.Single(await reopened.WriteAsync([StoreWrite.Replace(healthy, 10, Record(healthy, 11))], Ct)));
        await reopened.CheckHealthAsync(Ct);
    }

    [Fact]
    public async Task A_request_reads_its_keys_at_once_yet_each_write_sees_the_stored_record_or_the_decision_before_it()
    {
        const string stored = Prefix + "/STORED";
        const string fresh = Prefix + "/FRESH";
        await using var store = RocksDbHandleStore.Open(_directory.Options);
        Assert.Equal(StoreWriteResult.Applied, Assert.Single(await store.WriteAsync([StoreWrite.Create(stored, Record(stored, 10))], Ct)));

        // Sent back to back, so the second request is decided in the same group as the first or after it: either way it sees the first's writes.
        var first = store.WriteAsync(
        [
            StoreWrite.Create(stored, Record(stored, 11)),
            StoreWrite.Create(fresh, Record(fresh, 10)),
            StoreWrite.Replace(stored, 10, Record(stored, 20)),
            StoreWrite.Replace(stored, 10, Record(stored, 21)),
            StoreWrite.Create(fresh, Record(fresh, 12)),
        ], Ct).AsTask();
        var second = store.WriteAsync([StoreWrite.Replace(fresh, 10, Record(fresh, 30)), StoreWrite.Replace(stored, 10, Record(stored, 31))], Ct).AsTask();
        var results = await first;
        var after = await second;

        Assert.Equal(StoreWriteStatus.Conflict, results[0].Status);
        Assert.Equal(10, results[0].Current?.Version);
        Assert.Equal(StoreWriteResult.Applied, results[1]);
        Assert.Equal(StoreWriteResult.Applied, results[2]);
        Assert.Equal(StoreWriteStatus.Conflict, results[3].Status);
        Assert.Equal(20, results[3].Current?.Version);
        Assert.Equal(StoreWriteStatus.Conflict, results[4].Status);
        Assert.Equal(10, results[4].Current?.Version);
        Assert.Equal(StoreWriteResult.Applied, after[0]);
        Assert.Equal(StoreWriteStatus.Conflict, after[1].Status);
        Assert.Equal(20, after[1].Current?.Version);
        Assert.Equal(30, (await store.GetAsync(fresh, Ct))?.Version);
        Assert.Equal(20, (await store.GetAsync(stored, Ct))?.Version);
    }

    [Fact]
    public async Task A_record_that_cannot_be_encoded_fails_its_request_only_when_its_write_applies()
    {
        const string stored = Prefix + "/STORED";
        const string unencodable = Prefix + "/BAD\ud800";
        await using var store = RocksDbHandleStore.Open(_directory.Options);
        await store.WriteAsync([StoreWrite.Create(stored, Record(stored, 10))], Ct);

        // Encoding now happens before the write is queued; a write that loses its compare-and-set still never needs it.
        var lost = await store.WriteAsync([StoreWrite.Create(stored, Record(unencodable, 11))], Ct);
        Assert.Equal(StoreWriteStatus.Conflict, Assert.Single(lost).Status);

        await Assert.ThrowsAnyAsync<ArgumentException>(async () =>
            await store.WriteAsync([StoreWrite.Create(Prefix + "/OK", Record(Prefix + "/OK", 10)), StoreWrite.Create(Prefix + "/NEW", Record(unencodable, 10))], Ct));
        Assert.Null(await store.GetAsync(Prefix + "/OK", Ct));
        Assert.Null(await store.GetAsync(Prefix + "/NEW", Ct));
    }

    [Fact]
    public async Task Opening_creates_missing_directories_and_a_second_open_of_one_directory_fails_clearly()
    {
        var nested = new EmbeddedStoreOptions { Path = Path.Combine(_directory.Path, "a", "b") };
        await using var store = RocksDbHandleStore.Open(nested);
        await store.CheckHealthAsync(Ct);

        var second = Assert.Throws<IOException>(() => RocksDbHandleStore.Open(nested));

        Assert.Contains(Path.GetFullPath(nested.Path), second.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_with_the_absent_version_is_refused()
    {
        await using var store = RocksDbHandleStore.Open(_directory.Options);

        await Assert.ThrowsAsync<ArgumentException>(async () =>
            await store.WriteAsync([StoreWrite.Create(Prefix + "/V0", Record(Prefix + "/V0", StoreWrite.Absent))], Ct));
    }

    [Fact]
    public async Task A_write_cancelled_before_it_is_sent_changes_nothing()
    {
        await using var store = RocksDbHandleStore.Open(_directory.Options);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await store.WriteAsync([StoreWrite.Create(Prefix + "/C", Record(Prefix + "/C", 1))], cancelled.Token));

        Assert.Null(await store.GetAsync(Prefix + "/C", Ct));
    }

    private static HandleRecord Record(string handle, long version) =>
        new(handle, [new HandleValue { Index = 1, Type = WellKnownTypes.Url, Data = Encoding.UTF8.GetBytes("https://example.org/" + handle) }], version);
}
