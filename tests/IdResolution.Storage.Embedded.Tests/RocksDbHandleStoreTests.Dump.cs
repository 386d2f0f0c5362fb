using IdResolution.Core.Storage;

namespace IdResolution.Storage.Embedded.Tests;

/// <summary>A dump holds a snapshot of the engine: closing the store under an open dump frees it first and fails the dump's next page, never the process.</summary>
public sealed partial class RocksDbHandleStoreTests
{
    [Fact]
    public async Task A_dump_open_when_the_store_closes_fails_its_next_page_as_unavailable_and_disposes_quietly()
    {
        var keys = Enumerable.Range(0, 1200).Select(i => $"{Prefix}/DUMP-{i:D4}").ToArray();
        var store = RocksDbHandleStore.Open(_directory.Options);
        await store.WriteAsync([.. keys.Select(k => StoreWrite.Create(k, Record(k, 10)))], Ct);
        var dump = await store.OpenDumpAsync(Ct);
        await using var pages = dump.ReadAsync(Ct).GetAsyncEnumerator(Ct);
        Assert.True(await pages.MoveNextAsync());

        await store.DisposeAsync();

        var failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            while (await pages.MoveNextAsync())
            {
            }
        });
        Assert.True(failure is StoreUnavailableException or ObjectDisposedException, failure.ToString());
        await dump.DisposeAsync();

        // The data is intact and a new dump of the reopened store holds every record.
        await using var reopened = RocksDbHandleStore.Open(_directory.Options);
        await using var again = await reopened.OpenDumpAsync(Ct);
        var count = 0;
        await foreach (var entry in again.ReadAsync(Ct))
        {
            count++;
        }

        Assert.Equal(keys.Length, count);
        Assert.Equal(keys.Length, again.Position);
    }
}
