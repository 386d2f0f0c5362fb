using IdResolution.Core.Records;
using IdResolution.Core.Storage;
using IdResolution.Core.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace IdResolution.Core.Tests.Storage;

/// <summary>
/// The diagnostic slow store (Store:StallMilliseconds, Store:StallEvery): every N-th read freezes reads for the stall
/// on the node's clock, reads arriving during the freeze wait for its end, others and every write do not wait, and
/// with the setting off the store is not wrapped at all.
/// </summary>
public sealed class StallingHandleStoreTests
{
    private static readonly TimeSpan Stall = TimeSpan.FromMilliseconds(250);

    [Fact]
    public void Off_by_default_the_store_is_used_as_it_is()
    {
        var store = new InMemoryHandleStore();

        Assert.Same(store, StallingHandleStore.Around(store, new StoreStallOptions(), TimeProvider.System));
    }

    [Fact]
    public async Task Every_nth_read_waits_the_stall_and_the_others_answer_at_once()
    {
        var time = new FakeTimeProvider();
        var inner = new InMemoryHandleStore();
        inner.Put("88.709.1/A", new HandleRecord("88.709.1/A", [Values.Url(1, "https://a")], 1));
        var store = StallingHandleStore.Around(inner, new StoreStallOptions { StallMilliseconds = (int)Stall.TotalMilliseconds, StallEvery = 3 }, time);
        var cancellation = TestContext.Current.CancellationToken;

        Assert.True(store.GetAsync("88.709.1/A", cancellation).IsCompleted);
        Assert.True(store.GetManyAsync(["88.709.1/A", "88.709.1/B"], cancellation).IsCompleted);
        var third = store.GetAsync("88.709.1/A", cancellation).AsTask();
        Assert.False(third.IsCompleted);

        time.Advance(Stall - TimeSpan.FromMilliseconds(1));
        Assert.False(third.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("88.709.1/A", (await third)!.Handle);

        // The count goes on: reads 4 and 5 answer at once, the batch read 6 waits.
        Assert.True(store.GetAsync("88.709.1/A", cancellation).IsCompleted);
        Assert.True(store.GetAsync("88.709.1/B", cancellation).IsCompleted);
        var sixth = store.GetManyAsync(["88.709.1/A"], cancellation).AsTask();
        Assert.False(sixth.IsCompleted);
        time.Advance(Stall);
        Assert.Equal(1, (await sixth).Count(record => record is not null));
    }

    [Fact]
    public async Task A_read_that_arrives_during_a_freeze_waits_for_its_end_and_one_after_it_does_not()
    {
        var time = new FakeTimeProvider();
        var store = StallingHandleStore.Around(new InMemoryHandleStore(), new StoreStallOptions { StallMilliseconds = (int)Stall.TotalMilliseconds, StallEvery = 3 }, time);
        var cancellation = TestContext.Current.CancellationToken;

        Assert.True(store.GetAsync("88.709.1/A", cancellation).IsCompleted);
        Assert.True(store.GetAsync("88.709.1/A", cancellation).IsCompleted);
        var freezing = store.GetAsync("88.709.1/A", cancellation).AsTask();
        time.Advance(TimeSpan.FromMilliseconds(100));
        var during = store.GetAsync("88.709.1/B", cancellation).AsTask();
        time.Advance(Stall - TimeSpan.FromMilliseconds(101));
        Assert.False(freezing.IsCompleted);
        Assert.False(during.IsCompleted);

        // Both end with the freeze: the later read waits out the remainder, not a stall of its own.
        time.Advance(TimeSpan.FromMilliseconds(1));
        await freezing;
        await during;
        Assert.True(store.GetAsync("88.709.1/C", cancellation).IsCompleted);
    }

    [Fact]
    public async Task Writes_and_the_change_feed_never_stall()
    {
        var time = new FakeTimeProvider();
        var inner = new InMemoryHandleStore();
        var store = StallingHandleStore.Around(inner, new StoreStallOptions { StallMilliseconds = 60_000, StallEvery = 1 }, time);
        var cancellation = TestContext.Current.CancellationToken;
        var record = new HandleRecord("88.709.1/W", [Values.Url(1, "https://w")], 1);

        var written = store.WriteAsync([StoreWrite.Create("88.709.1/W", record)], cancellation);
        Assert.True(written.IsCompleted);
        Assert.Equal(StoreWriteStatus.Applied, (await written)[0].Status);
        Assert.True(store.LastChangePositionAsync(cancellation).IsCompleted);
        Assert.NotNull(inner.Peek("88.709.1/W"));
    }

    [Fact]
    public async Task A_resolution_that_misses_the_cache_waits_for_the_stalled_store_and_a_cached_one_does_not()
    {
        // Without the setting, a miss over the in-memory store completes within the call: what stays pending below is the stall.
        using (var plain = new Node(nodePrefix: "88.709"))
        {
            plain.Store.Put("88.709.1/R", new HandleRecord("88.709.1/R", [Values.Url(1, "https://r")], 1));
            Assert.True(plain.ResolveAsync("88.709.1/R").IsCompleted);
        }

        using var node = new Node(nodePrefix: "88.709", stall: new StoreStallOptions { StallMilliseconds = (int)Stall.TotalMilliseconds, StallEvery = 1 });
        node.Store.Put("88.709.1/R", new HandleRecord("88.709.1/R", [Values.Url(1, "https://r")], 1));

        var first = node.ResolveAsync("88.709.1/R").AsTask();
        Assert.False(first.IsCompleted);
        await Poll.UntilAsync(() =>
        {
            if (!first.IsCompleted)
            {
                node.Time.Advance(Stall);
            }

            return first.IsCompleted;
        }, "the stalled resolution once the clock passed the stall");
        Assert.True((await first).IsSuccess);

        Assert.True(node.ResolveAsync("88.709.1/R").IsCompleted);
    }
}
