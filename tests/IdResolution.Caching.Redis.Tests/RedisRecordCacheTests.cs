using System.Text;
using IdResolution.Caching.Redis.Tests.Infrastructure;
using IdResolution.Caching.Redis.Tests.Support;
using IdResolution.Core.Records;
using IdResolution.Core.Telemetry;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdResolution.Caching.Redis.Tests;

/// <summary>The Redis tier on its own, against a real redis-server: what it stores, how, and for how long.</summary>
public sealed class RedisRecordCacheTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private const string Handle = "88.709.911/ABC-0001";
    private readonly string _scope = TieredInstance.NewScope();
    private readonly NodeMetrics _metrics = NodeMetrics.CreateStandalone();
    private RedisRecordCache _cache = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string RedisKey => $"{_scope}:h:{Handle}";

    public ValueTask InitializeAsync()
    {
        _cache = Connect();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _cache.DisposeAsync();
        _metrics.Dispose();
    }

    private static HandleRecord Record(string url) => new(Handle, [TieredInstance.Url(url), new HandleValue { Index = 2, Type = "EMAIL", Data = Encoding.UTF8.GetBytes("ops@example.org") }], 7);

    private RedisRecordCache Connect(int holdMilliseconds = 2000) => RedisRecordCache.Connect(
        new RedisCacheOptions { Configuration = redis.Server.EndPoint, KeyPrefix = $"{_scope}:h:", Channel = $"{_scope}:inv", TimeoutMilliseconds = 1000, InvalidationHoldMilliseconds = holdMilliseconds },
        _metrics, null, TimeProvider.System, NullLogger.Instance);

    [Fact]
    public async Task A_record_is_stored_in_the_compact_binary_form_with_its_ttl_and_read_back_equal()
    {
        var record = Record("https://example.org");
        await _cache.AddAsync(Handle, record, TimeSpan.FromSeconds(300), Ct);

        var raw = await redis.Server.GetBytesAsync(RedisKey);
        Assert.NotNull(raw);
        Assert.Equal(1, raw[0]);
        Assert.Equal(RecordCodec.Encode(record), raw[9..]);
        var pttl = await redis.Server.PttlAsync(RedisKey);
        Assert.InRange(pttl, 290_000, 300_000);

        var lookup = await _cache.GetAsync(Handle, Ct);
        Assert.True(lookup.Hit);
        Assert.Equal(record.Version, lookup.Record!.Version);
        Assert.Equal(RecordCodec.Encode(record), RecordCodec.Encode(lookup.Record));
        Assert.InRange(lookup.TimeToLive!.Value, TimeSpan.FromSeconds(290), TimeSpan.FromSeconds(300));
    }

    [Fact]
    public async Task A_not_found_answer_is_cached_with_its_own_ttl()
    {
        await _cache.AddAsync(Handle, null, TimeSpan.FromSeconds(60), Ct);

        var lookup = await _cache.GetAsync(Handle, Ct);
        Assert.True(lookup.Hit);
        Assert.Null(lookup.Record);
        Assert.InRange(await redis.Server.PttlAsync(RedisKey), 50_000, 60_000);
    }

    [Fact]
    public async Task An_answer_never_replaces_one_already_there()
    {
        await _cache.AddAsync(Handle, Record("https://first"), TimeSpan.FromSeconds(300), Ct);
        await _cache.AddAsync(Handle, Record("https://second"), TimeSpan.FromSeconds(300), Ct);

        var lookup = await _cache.GetAsync(Handle, Ct);
        Assert.Equal("https://first", Encoding.UTF8.GetString(lookup.Record!.Find(1)!.Data.Span));
    }

    [Fact]
    public async Task An_invalidation_holds_the_key_against_answers_read_before_it_for_a_short_time()
    {
        await _cache.AddAsync(Handle, Record("https://old"), TimeSpan.FromSeconds(300), Ct);
        await _cache.InvalidateAsync([Handle], Ct);

        Assert.False((await _cache.GetAsync(Handle, Ct)).Hit);
        await _cache.AddAsync(Handle, Record("https://read-before-the-write"), TimeSpan.FromSeconds(300), Ct);
        Assert.False((await _cache.GetAsync(Handle, Ct)).Hit);
        Assert.InRange(await redis.Server.PttlAsync(RedisKey), 1, 2000);
        Assert.Equal(TimeSpan.FromSeconds(1), _cache.FillWindow);
    }

    [Fact]
    public async Task After_the_hold_an_answer_can_be_added_again()
    {
        await using var cache = Connect(holdMilliseconds: 100);
        await cache.InvalidateAsync([Handle], Ct);
        await Poll.UntilAsync(async () => await redis.Server.GetBytesAsync(RedisKey) is null, "the hold expires");

        await cache.AddAsync(Handle, Record("https://new"), TimeSpan.FromSeconds(300), Ct);
        Assert.True((await cache.GetAsync(Handle, Ct)).Hit);
    }

    [Fact]
    public async Task Bytes_it_does_not_understand_are_a_miss_not_an_error()
    {
        await redis.Server.CommandAsync("SET", RedisKey, "not a record");

        var lookup = await _cache.GetAsync(Handle, Ct);

        Assert.False(lookup.Hit);
        Assert.True(_cache.Metrics.Failures >= 1);
    }

    [Fact]
    public async Task An_invalidation_reaches_other_instances_and_not_the_sender()
    {
        await using var other = Connect();
        var received = new List<string?>();
        using var subscription = other.Subscribe(key =>
        {
            lock (received)
            {
                received.Add(key);
            }
        });
        var own = new List<string?>();
        using var ownSubscription = _cache.Subscribe(own.Add);

        await _cache.InvalidateAsync(["88.709.911/A", "88.709.911/B"], Ct);

        await Poll.UntilAsync(() => { lock (received) { return received.Count >= 2; } }, "the other instance hears both keys");
        lock (received)
        {
            Assert.Equal(["88.709.911/A", "88.709.911/B"], received);
        }

        Assert.Empty(own);
    }
}
