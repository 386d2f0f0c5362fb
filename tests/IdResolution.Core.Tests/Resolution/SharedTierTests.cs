using IdResolution.Core.Caching;
using IdResolution.Core.Records;
using IdResolution.Core.Registration;
using IdResolution.Core.Tests.Support;

namespace IdResolution.Core.Tests.Resolution;

/// <summary>How the core uses a shared tier behind its in-process one: which calls, when, and what it trusts.</summary>
public sealed class SharedTierTests : IDisposable
{
    // Directly under the node prefix (88 in these tests): no prefix handle between them for the jurisdiction to read, so the
    // counts below are the record's alone.
    private const string Handle = "88/HOT";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly InMemorySharedCache _shared = new();
    private readonly Node _node;

    public SharedTierTests() => _node = new Node(new CacheOptions { LocalMaxTtlSeconds = 10 }, shared: _shared);

    public void Dispose() => _node.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HandleRecord Record(string url, long version = 1) => new(Handle, [Values.Url(1, url)], version);

    private async Task<string> UrlAsync() => Values.DataText((await _node.ResolveAsync(Handle)).Value!.Values.Single(v => v.Index == 1));

    [Fact]
    public async Task Concurrent_misses_make_one_shared_read_one_store_read_and_fill_both_tiers()
    {
        _node.Store.Put(Handle, Record("https://example.org"));
        var gate = _node.Store.GateNextRead();
        var resolves = Enumerable.Range(0, 50).Select(_ => _node.ResolveAsync(Handle).AsTask()).ToArray();
        await gate.Entered.WaitAsync(Deadline, Ct);
        gate.Release();
        await Task.WhenAll(resolves).WaitAsync(Deadline, Ct);
        await Poll.UntilAsync(() => _shared.Adds == 1, "the answer is added to the shared tier");

        Assert.Equal(1, _shared.Gets);
        Assert.Equal(1, _node.Store.Reads);
        Assert.True(_shared.Holds(Handle));
        Assert.Equal(1, _node.Cache.Count);
    }

    [Fact]
    public async Task A_shared_hit_is_kept_in_process_no_longer_than_the_local_cap_nor_its_own_ttl()
    {
        _shared.Put(Handle, Record("https://from-redis"), TimeSpan.FromSeconds(600));

        Assert.Equal("https://from-redis", await UrlAsync());
        Assert.Equal("https://from-redis", await UrlAsync());
        Assert.Equal(1, _shared.Gets);
        Assert.Equal(0, _node.Store.Reads);

        // Past the 10 s cap the instance asks the shared tier again (it does not trust its copy longer).
        _node.Time.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal("https://from-redis", await UrlAsync());
        Assert.Equal(2, _shared.Gets);

        // An entry the shared tier says expires in 2 s is not kept in process for the whole cap.
        _node.Cache.Clear();
        _shared.Put(Handle, Record("https://short"), TimeSpan.FromSeconds(2));
        Assert.Equal("https://short", await UrlAsync());
        _node.Time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal("https://short", await UrlAsync());
        Assert.Equal(4, _shared.Gets);
        Assert.Equal(0, _node.Store.Reads);
    }

    [Fact]
    public async Task Another_instances_invalidation_drops_the_in_process_copy()
    {
        _node.Store.Put(Handle, Record("https://old"));
        Assert.Equal("https://old", await UrlAsync());

        // Another instance wrote: the store changed, it invalidated the shared tier and announced the key.
        _node.Store.Put(Handle, Record("https://new", 2));
        await _shared.InvalidateAsync([Handle], Ct);
        _shared.Announce(Handle);

        Assert.Equal("https://new", await UrlAsync());
    }

    [Fact]
    public async Task An_announcement_that_overtakes_a_load_keeps_the_loaded_record_out_of_both_tiers()
    {
        _node.Store.Put(Handle, Record("https://old"));
        var gate = _node.Store.GateNextRead();
        var inFlight = _node.ResolveAsync(Handle).AsTask();
        await gate.Entered.WaitAsync(Deadline, Ct);

        _node.Store.Put(Handle, Record("https://new", 2));
        _shared.Announce(Handle);
        gate.Release();
        await inFlight.WaitAsync(Deadline, Ct);

        Assert.Equal(0, _node.Cache.Count);
        Assert.Equal(0, _shared.Adds);
        Assert.Equal("https://new", await UrlAsync());
    }

    [Fact]
    public async Task A_lost_subscription_clears_everything_held_in_process()
    {
        _node.Store.Put(Handle, Record("https://old"));
        _node.Store.Put("88/OTHER", new HandleRecord("88/OTHER", [Values.Url(1, "https://other")], 1));
        await UrlAsync();
        await _node.ResolveAsync("88/OTHER");
        Assert.Equal(2, _node.Cache.Count);

        _shared.Announce(null);

        Assert.Equal(0, _node.Cache.Count);
    }

    [Fact]
    public async Task A_batch_of_writes_invalidates_the_shared_tier_in_one_call_naming_every_handle()
    {
        var handles = Enumerable.Range(0, 20).Select(i => $"88.709.911/B{i}").ToArray();
        var outcomes = await _node.Registrar.CreateBatchAsync(TestCallers.Administrator, [.. handles.Select(h => new CreateRequest(h, [Values.Url(1, "https://x")]))], Ct);

        Assert.All(outcomes, outcome => Assert.True(outcome.IsSuccess));
        var invalidation = Assert.Single(_shared.Invalidations);
        Assert.Equal(handles.Order(StringComparer.Ordinal), invalidation.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_store_read_slower_than_the_fill_window_is_not_added_to_the_shared_tier()
    {
        _shared.FillWindow = TimeSpan.Zero;
        _node.Store.Put(Handle, Record("https://example.org"));

        Assert.Equal("https://example.org", await UrlAsync());

        Assert.Equal(1, _node.Store.Reads);
        Assert.Equal(0, _shared.Adds);
        Assert.Equal(1, _node.Cache.Count);
    }

    [Fact]
    public async Task Without_a_shared_tier_the_local_cap_does_not_apply()
    {
        using var node = new Node(new CacheOptions { LocalMaxTtlSeconds = 10 });
        node.Store.Put(Handle, Record("https://example.org"));
        await node.ResolveAsync(Handle);
        node.Time.Advance(TimeSpan.FromSeconds(60));
        await node.ResolveAsync(Handle);

        Assert.Equal(1, node.Store.Reads);
    }
}
