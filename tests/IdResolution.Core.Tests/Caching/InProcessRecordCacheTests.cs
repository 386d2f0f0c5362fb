using IdResolution.Core.Caching;
using IdResolution.Core.Records;
using IdResolution.Core.Telemetry;
using Microsoft.Extensions.Time.Testing;

namespace IdResolution.Core.Tests.Caching;

public sealed class InProcessRecordCacheTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly NodeMetrics _metrics = NodeMetrics.CreateStandalone();
    private readonly InProcessRecordCache _cache;

    public InProcessRecordCacheTests() => _cache = new InProcessRecordCache(new CacheOptions(), _time, _metrics);

    public void Dispose()
    {
        _cache.Dispose();
        _metrics.Dispose();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly HandleRecord Record = new("88.1/x", [new HandleValue { Index = 1, Type = "URL" }], 1);

    [Fact]
    public async Task A_key_never_set_is_a_miss()
    {
        var lookup = await _cache.GetAsync("88.1/X", Ct);

        Assert.False(lookup.Hit);
        Assert.Null(lookup.Record);
    }

    [Fact]
    public async Task Records_and_not_found_answers_are_both_hits()
    {
        await _cache.SetAsync("88.1/X", Record, TimeSpan.FromSeconds(10), Ct);
        await _cache.SetAsync("88.1/GONE", null, TimeSpan.FromSeconds(10), Ct);

        var found = await _cache.GetAsync("88.1/X", Ct);
        var notFound = await _cache.GetAsync("88.1/GONE", Ct);

        Assert.Equal(CacheLookup.Of(Record), found);
        Assert.Same(Record, found.Record);
        Assert.Equal(CacheLookup.NotFound, notFound);
        Assert.Equal(2, _cache.Count);
    }

    [Fact]
    public async Task Entries_expire_on_the_clock_they_were_given()
    {
        await _cache.SetAsync("88.1/X", Record, TimeSpan.FromSeconds(10), Ct);

        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.True((await _cache.GetAsync("88.1/X", Ct)).Hit);

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.False((await _cache.GetAsync("88.1/X", Ct)).Hit);
    }

    [Fact]
    public async Task A_zero_ttl_drops_what_was_cached()
    {
        await _cache.SetAsync("88.1/X", Record, TimeSpan.FromSeconds(10), Ct);
        await _cache.SetAsync("88.1/X", Record, TimeSpan.Zero, Ct);

        Assert.False((await _cache.GetAsync("88.1/X", Ct)).Hit);
        Assert.Equal(0, _cache.Count);
    }

    [Fact]
    public async Task Invalidation_drops_an_entry()
    {
        await _cache.SetAsync("88.1/X", Record, TimeSpan.FromSeconds(10), Ct);
        await _cache.SetAsync("88.1/Y", null, TimeSpan.FromSeconds(10), Ct);

        await _cache.InvalidateAsync("88.1/X", Ct);

        Assert.False((await _cache.GetAsync("88.1/X", Ct)).Hit);
        Assert.True((await _cache.GetAsync("88.1/Y", Ct)).Hit);
    }

    [Fact]
    public async Task Lookups_complete_synchronously()
    {
        await _cache.SetAsync("88.1/X", Record, TimeSpan.FromSeconds(10), Ct);

        Assert.True(_cache.GetAsync("88.1/X", Ct).IsCompletedSuccessfully);
        Assert.True(_cache.GetAsync("88.1/MISS", Ct).IsCompletedSuccessfully);
    }
}
