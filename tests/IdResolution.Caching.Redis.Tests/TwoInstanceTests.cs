using System.Diagnostics;
using IdResolution.Caching.Redis.Tests.Infrastructure;
using IdResolution.Caching.Redis.Tests.Support;

namespace IdResolution.Caching.Redis.Tests;

/// <summary>Two node instances over one real redis-server and one store: what one writes, the other sees.</summary>
public sealed class TwoInstanceTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(1);
    private readonly SharedStore _store = new();
    private readonly string _scope = TieredInstance.NewScope();
    private TieredInstance _a = null!;
    private TieredInstance _b = null!;

    public ValueTask InitializeAsync()
    {
        _a = _store.StartInstance(redis.Server.EndPoint, _scope);
        _b = _store.StartInstance(redis.Server.EndPoint, _scope);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task A_write_on_one_instance_is_resolved_on_the_other_within_one_second()
    {
        const string Handle = "88.709.911/PALLET-1";
        await _a.CreateAsync(Handle, "https://v0");
        Assert.Equal("https://v0", await _b.UrlAsync(Handle));
        Assert.Equal("https://v0", await _b.UrlAsync(Handle));

        var worst = TimeSpan.Zero;
        for (var round = 1; round <= 20; round++)
        {
            // B holds the previous version in memory (and Redis may too) when A writes.
            Assert.Equal($"https://v{round - 1}", await _b.UrlAsync(Handle));
            await _a.ModifyAsync(Handle, $"https://v{round}");
            var acknowledged = Stopwatch.StartNew();
            while (await _b.UrlAsync(Handle) != $"https://v{round}")
            {
                Assert.True(acknowledged.Elapsed < Bound, $"round {round}: instance B still served the old record {acknowledged.Elapsed.TotalMilliseconds:F0} ms after the write");
                await Task.Delay(5, TestContext.Current.CancellationToken);
            }

            worst = acknowledged.Elapsed > worst ? acknowledged.Elapsed : worst;
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"20 writes on A: B resolved each new record at most {worst.TotalMilliseconds:F1} ms after it was acknowledged");
        Assert.True(_b.Redis.Metrics.InvalidationsReceived >= 20);
        Assert.True(_a.Redis.Metrics.InvalidationsSent >= 20);
    }

    [Fact]
    public async Task A_batch_written_on_one_instance_is_seen_whole_on_the_other_within_one_second()
    {
        var handles = Enumerable.Range(0, 200).Select(i => $"88.709.911/BATCH-{i:D3}").ToArray();
        foreach (var handle in handles)
        {
            await _a.CreateAsync(handle, "https://old");
            Assert.Equal("https://old", await _b.UrlAsync(handle));
        }

        await _a.UpdateBatchAsync(handles, "https://new");
        await _b.AssertResolvesWithinAsync(handles, "https://new", Stopwatch.StartNew(), Bound);
    }

    [Fact]
    public async Task A_hot_handle_resolved_ten_thousand_times_is_read_from_the_store_once()
    {
        const string Handle = "88.709.911/HOT-10K";
        await _a.CreateAsync(Handle, "https://hot");
        var before = _a.Store.Reads;

        // 100 concurrent callers, 100 resolutions each.
        var callers = Enumerable.Range(0, 100).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                Assert.Equal("https://hot", await _a.UrlAsync(Handle));
            }
        }));
        await Task.WhenAll(callers);

        Assert.Equal(1, _a.Store.Reads - before);
    }

    [Fact]
    public async Task Concurrent_misses_on_an_instance_make_one_redis_read_and_no_store_read()
    {
        // Directly under the node prefix: no prefix handle between them for the jurisdiction to look up in Redis too.
        const string Handle = "88.709/HOT-SHARED";
        await _a.CreateAsync(Handle, "https://hot");

        // An instance that keeps nothing in memory fills Redis once the write's invalidation hold has passed.
        await using (var filler = TieredInstance.Start(_store, redis.Server.EndPoint, _scope, cache: new() { LocalMaxTtlSeconds = 0 }))
        {
            await Poll.UntilAsync(
                async () => await filler.UrlAsync(Handle) is not null && await redis.Server.GetBytesAsync($"{_scope}:h:{Handle}") is { Length: > 1 },
                "Redis holds the record");
        }

        var storeReads = _b.Store.Reads;
        await redis.Server.ResetStatsAsync();
        var resolves = Enumerable.Range(0, 64).Select(_ => Task.Run(() => _b.UrlAsync(Handle))).ToArray();
        var urls = await Task.WhenAll(resolves);

        Assert.All(urls, url => Assert.Equal("https://hot", url));
        Assert.Equal(1, await redis.Server.GetCommandCallsAsync("get"));
        Assert.Equal(storeReads, _b.Store.Reads);
    }
}
