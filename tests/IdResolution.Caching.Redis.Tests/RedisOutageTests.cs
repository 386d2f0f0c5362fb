using System.Collections.Concurrent;
using System.Diagnostics;
using IdResolution.Caching.Redis.Tests.Infrastructure;
using IdResolution.Caching.Redis.Tests.Support;

namespace IdResolution.Caching.Redis.Tests;

/// <summary>
/// Redis killed, slow, or not there yet, each on a redis-server of the test's own: resolution and
/// writes carry on from the store, and Redis is used again once it answers, without a restart.
/// </summary>
public sealed class RedisOutageTests : IAsyncLifetime
{
    private readonly SharedStore _store = new();
    private readonly string _scope = TieredInstance.NewScope();
    private RedisServer _redis = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _redis.DisposeAsync();
        await _store.DisposeAsync();
    }

    /// <summary>Short timeouts and a quick breaker, as an operator would set them; in-process entries live 1 s so Redis stays in use.</summary>
    private TieredInstance Instance(int timeoutMilliseconds = 50, int localTtlSeconds = 1) => TieredInstance.Start(
        _store,
        _redis.EndPoint,
        _scope,
        redis =>
        {
            redis.TimeoutMilliseconds = timeoutMilliseconds;
            redis.BreakerMinimumThroughput = 5;
            redis.BreakerSamplingMilliseconds = 1000;
            redis.BreakerBreakMilliseconds = 500;
            redis.InvalidationHoldMilliseconds = 200;
        },
        new() { LocalMaxTtlSeconds = localTtlSeconds });

    [Fact]
    public async Task Redis_killed_during_resolutions_and_writes_fails_none_and_is_used_again_after_its_restart()
    {
        await using var writer = Instance();
        await using var reader = Instance();
        var handles = Enumerable.Range(0, 100).Select(i => $"88.709.911/KILL-{i:D3}").ToArray();
        foreach (var handle in handles)
        {
            await writer.CreateAsync(handle, "https://v0");
        }

        var failures = new ConcurrentQueue<string>();
        var lastWritten = new ConcurrentDictionary<string, string>();
        long resolutions = 0;
        long writes = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var resolvers = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            while (!stop.IsCancellationRequested)
            {
                var handle = handles[random.Next(handles.Length)];
                var outcome = await (worker % 2 == 0 ? reader : writer).ResolveAsync(handle);
                if (!outcome.IsSuccess)
                {
                    failures.Enqueue($"resolve {handle}: {outcome.Code} {outcome.Message}");
                }

                // Paced a little: the stream must not starve the other test classes running beside it.
                if (Interlocked.Increment(ref resolutions) % 64 == 0)
                {
                    await Task.Delay(1, CancellationToken.None);
                }
            }
        })).ToArray();
        var writing = Task.Run(async () =>
        {
            var random = new Random(99);
            for (var version = 1; !stop.IsCancellationRequested; version++)
            {
                // Writes go to a tenth of the handles: each write costs the readers a miss, and the
                // hit ratio compared before and after must be about Redis, not about the writes.
                var handle = handles[random.Next(handles.Length / 10)];
                var outcome = await writer.Core.Registrar.ModifyValuesAsync(StoreContract.TestCallers.Administrator, handle, [TieredInstance.Url($"https://v{version}")], CancellationToken.None);
                if (outcome.IsSuccess)
                {
                    lastWritten[handle] = $"https://v{version}";
                    Interlocked.Increment(ref writes);
                }
                else
                {
                    failures.Enqueue($"write {handle}: {outcome.Code} {outcome.Message}");
                }

                // Paced, so that invalidations do not dominate what the reader's hit ratio measures.
                await Task.Delay(10, CancellationToken.None);
            }
        });

        try
        {
            await Poll.UntilAsync(() => reader.Redis.Metrics.Hits > 100, "the reader is served from Redis");
            var before = await HitRatioAsync(reader);
            await _redis.KillAsync();
            var afterKill = Interlocked.Read(ref resolutions);
            var writesAfterKill = Interlocked.Read(ref writes);
            await Poll.UntilAsync(
                () => Interlocked.Read(ref resolutions) > afterKill + 2000 && Interlocked.Read(ref writes) > writesAfterKill + 30,
                "resolutions and writes go on while Redis is dead");

            Assert.Equal(0, await HitRatioAsync(reader));
            await _redis.RestartAsync();
            var after = 0.0;
            await Poll.UntilAsync(async () => (after = await HitRatioAsync(reader)) >= before * 0.8, $"the reader's Redis hit ratio recovers to 80 % of the {before:P0} it had");
            TestContext.Current.TestOutputHelper?.WriteLine($"Redis hit ratio on the reader: {before:P0} before the kill, 0 while dead, {after:P0} after the restart");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll([.. resolvers, writing]);
        }

        Assert.Empty(failures);
        TestContext.Current.TestOutputHelper?.WriteLine($"{resolutions} resolutions and {writes} writes across the SIGKILL, none failed");

        // Every acknowledged write is what both instances now resolve (within the in-process cap).
        foreach (var (handle, url) in lastWritten)
        {
            await Poll.UntilAsync(async () => await reader.UrlAsync(handle) == url && await writer.UrlAsync(handle) == url, $"{handle} resolves to {url} on both instances", TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task Slow_redis_costs_a_resolution_no_more_than_the_timeout_and_a_store_read()
    {
        const int TimeoutMs = 50;
        await using var instance = Instance(TimeoutMs, localTtlSeconds: 0);
        const string Handle = "88.709.911/SLOW";
        await instance.CreateAsync(Handle, "https://slow");
        Assert.Equal("https://slow", await instance.UrlAsync(Handle));

        var sleep = TimeSpan.FromSeconds(3);
        var sleeping = await _redis.StartDebugSleepAsync(sleep);
        var during = Stopwatch.StartNew();
        var worst = TimeSpan.Zero;
        for (var i = 0; i < 20; i++)
        {
            var one = Stopwatch.StartNew();
            Assert.Equal("https://slow", await instance.UrlAsync(Handle));
            worst = one.Elapsed > worst ? one.Elapsed : worst;
        }

        await instance.ModifyAsync(Handle, "https://written-while-slow");
        Assert.Equal("https://written-while-slow", await instance.UrlAsync(Handle));
        var elapsed = during.Elapsed;
        await sleeping;

        TestContext.Current.TestOutputHelper?.WriteLine($"20 resolutions while Redis slept {sleep.TotalSeconds} s: slowest {worst.TotalMilliseconds:F1} ms (timeout {TimeoutMs} ms)");

        // All of it finished while Redis was still asleep; the bound leaves room for a loaded CI machine.
        Assert.True(elapsed < sleep, $"took {elapsed.TotalMilliseconds:F0} ms, as long as Redis slept");
        Assert.True(worst < TimeSpan.FromMilliseconds(TimeoutMs + 500), $"slowest resolution {worst.TotalMilliseconds:F0} ms");
        Assert.True(instance.Redis.Metrics.Failures > 0);
    }

    [Fact]
    public async Task A_node_started_while_redis_is_down_resolves_and_writes_and_uses_redis_once_it_is_up()
    {
        await _redis.StopAsync();
        await using var instance = Instance(localTtlSeconds: 0);
        const string Handle = "88.709.911/LATE";

        await instance.CreateAsync(Handle, "https://late");
        Assert.Equal("https://late", await instance.UrlAsync(Handle));
        Assert.Equal(0, instance.Redis.Metrics.Hits);

        await _redis.RestartAsync();
        await Poll.UntilAsync(async () => await instance.UrlAsync(Handle) == "https://late" && instance.Redis.Metrics.Hits > 0, "resolutions are served from Redis");
    }

    [Fact]
    public async Task An_invalidation_that_could_not_reach_redis_is_delivered_when_it_answers_again()
    {
        await using var writer = Instance();
        await using var reader = Instance();
        const string Handle = "88.709.911/PENDING";
        await writer.CreateAsync(Handle, "https://old");
        await Poll.UntilAsync(async () => await reader.UrlAsync(Handle) == "https://old" && await _redis.GetBytesAsync($"{_scope}:h:{Handle}") is { Length: > 1 }, "Redis holds the old record");

        // The writer's breaker opens on a sleeping Redis; the write's invalidation must wait.
        var sleeping = await _redis.StartDebugSleepAsync(TimeSpan.FromSeconds(2));
        var probe = 0;
        await Poll.UntilAsync(
            async () => await writer.UrlAsync($"88.709.911/PROBE-{++probe}") is null && writer.Redis.Circuit != Polly.CircuitBreaker.CircuitState.Closed,
            "the writer's circuit opens");
        await writer.ModifyAsync(Handle, "https://new");
        Assert.True(writer.Redis.PendingInvalidationCount >= 1);
        await sleeping;

        await Poll.UntilAsync(() => writer.Redis.PendingInvalidationCount == 0, "the invalidation is sent");
        await Poll.UntilAsync(async () => await reader.UrlAsync(Handle) == "https://new", "the reader resolves the new record", TimeSpan.FromSeconds(5));
    }

    /// <summary>The Redis tier's hit ratio over the next <paramref name="lookups"/> lookups the instance makes.</summary>
    private static async Task<double> HitRatioAsync(TieredInstance instance, int lookups = 300)
    {
        var (hits, misses) = (instance.Redis.Metrics.Hits, instance.Redis.Metrics.Misses);
        await Poll.UntilAsync(() => instance.Redis.Metrics.Hits - hits + instance.Redis.Metrics.Misses - misses >= lookups, $"{lookups} Redis lookups");
        var h = instance.Redis.Metrics.Hits - hits;
        return h / (double)(h + instance.Redis.Metrics.Misses - misses);
    }
}
