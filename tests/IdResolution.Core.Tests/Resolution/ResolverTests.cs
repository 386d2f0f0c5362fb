using IdResolution.Core.Caching;
using IdResolution.Core.Records;
using IdResolution.Core.Resolution;
using IdResolution.Core.Tests.Support;

namespace IdResolution.Core.Tests.Resolution;

public sealed class ResolverTests : IDisposable
{
    private const string Handle = "88.709.911/ABC-0001";
    private readonly Node _node = new(new CacheOptions { NotFoundTtlSeconds = 30, MaxTtlSeconds = 3600 });

    public void Dispose() => _node.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HandleRecord Record(string handle, long version, params HandleValue[] values) => new(handle, values, version);

    private async Task<string?> ResolvedUrlAsync(string handle = Handle)
    {
        var outcome = await _node.ResolveAsync(handle);
        return outcome.IsSuccess ? Values.DataText(outcome.Value.Values.Single(v => v.Type == "URL")) : null;
    }

    [Fact]
    public async Task An_unregistered_handle_is_not_found()
    {
        var outcome = await _node.ResolveAsync("88.709.911/NOPE");

        Assert.False(outcome.IsSuccess);
        Assert.Equal(HandleResponseCode.HandleNotFound, outcome.Code);
        Assert.Contains("88.709.911/NOPE", outcome.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("no-slash")]
    [InlineData("88..1/x")]
    [InlineData(" 88.1/x")]
    public async Task An_invalid_handle_is_refused_without_touching_the_store(string handle)
    {
        var outcome = await _node.ResolveAsync(handle);

        Assert.Equal(HandleResponseCode.InvalidHandle, outcome.Code);
        Assert.False(string.IsNullOrWhiteSpace(outcome.Message));
        Assert.Equal(0, _node.Store.Reads);
        Assert.Equal(0, _node.Cache.Count);
    }

    [Fact]
    public async Task A_registered_handle_resolves_by_any_ascii_case_of_its_spelling()
    {
        Assert.True((await _node.CreateAsync("88.709.911/abc-0001", Values.Url(1, "https://example.org/a"))).IsSuccess);

        var outcome = await _node.ResolveAsync("88.709.911/ABC-0001");

        Assert.True(outcome.IsSuccess);
        Assert.Equal(HandleResponseCode.Success, outcome.Value.Code);
        Assert.Equal("88.709.911/ABC-0001", outcome.Value.Handle.Text);
        Assert.Equal("88.709.911/abc-0001", outcome.Value.Record.Handle);
        Assert.Equal("https://example.org/a", Values.DataText(Assert.Single(outcome.Value.Values)));
    }

    [Fact]
    public async Task Values_without_public_read_are_never_returned()
    {
        var secret = Values.Text(2, "SECRET", "s3cr3t") with { Permissions = ValuePermissions.AdminRead | ValuePermissions.AdminWrite };
        var writeOnly = Values.Text(3, "DROPBOX", "w") with { Permissions = ValuePermissions.PublicWrite };
        _node.Store.Put(Handle, Record(Handle, 1, Values.Url(1, "https://example.org"), secret, writeOnly));

        var all = await _node.ResolveAsync(Handle);
        var byIndex = await _node.ResolveAsync(Handle, new ValueFilter([], [2, 3]));
        var byType = await _node.ResolveAsync(Handle, new ValueFilter(["SECRET", "DROPBOX"], []));

        Assert.Equal([1], all.Value!.Values.Select(v => v.Index));
        Assert.Equal(3, all.Value.Record.Values.Count);
        Assert.Empty(byIndex.Value!.Values);
        Assert.Equal(HandleResponseCode.ValuesNotFound, byIndex.Value.Code);
        Assert.Empty(byType.Value!.Values);
    }

    [Fact]
    public async Task A_record_of_only_private_values_resolves_to_values_not_found()
    {
        _node.Store.Put(Handle, Record(Handle, 1, Values.Text(1, "SECRET", "x") with { Permissions = ValuePermissions.AdminRead }));

        var outcome = await _node.ResolveAsync(Handle);

        Assert.True(outcome.IsSuccess);
        Assert.Empty(outcome.Value.Values);
        Assert.Equal(HandleResponseCode.ValuesNotFound, outcome.Value.Code);
    }

    [Fact]
    public async Task A_filter_that_matches_nothing_is_a_success_with_values_not_found()
    {
        await _node.CreateAsync(Handle, Values.Url(1, "https://example.org"));

        var outcome = await _node.ResolveAsync(Handle, new ValueFilter(["EMAIL"], [42]));

        Assert.True(outcome.IsSuccess);
        Assert.Empty(outcome.Value.Values);
        Assert.Equal(HandleResponseCode.ValuesNotFound, outcome.Value.Code);
    }

    [Fact]
    public async Task A_filter_selects_by_type_or_index_in_record_order()
    {
        await _node.CreateAsync(Handle, Values.Url(1, "https://example.org"), Values.Text(2, "EMAIL", "a@example.org"),
            Values.Text(3, "URL.ja", "https://example.jp"), Values.HsAdmin());

        var outcome = await _node.ResolveAsync(Handle, new ValueFilter(["url."], [100]));

        Assert.Equal([1, 3, 100], outcome.Value!.Values.Select(v => v.Index));
    }

    [Fact]
    public async Task A_resolved_record_is_served_from_the_cache()
    {
        _node.Store.Put(Handle, Record(Handle, 1, Values.Url(1, "https://old")));

        Assert.Equal("https://old", await ResolvedUrlAsync());
        _node.Store.Put(Handle, Record(Handle, 2, Values.Url(1, "https://new")));

        Assert.Equal("https://old", await ResolvedUrlAsync());
        Assert.Equal(1, _node.Store.Reads);
    }

    [Fact]
    public async Task An_authoritative_resolve_reads_the_store()
    {
        _node.Store.Put(Handle, Record(Handle, 1, Values.Url(1, "https://old")));
        await _node.ResolveAsync(Handle);
        _node.Store.Put(Handle, Record(Handle, 2, Values.Url(1, "https://new")));

        var outcome = await _node.Resolver.ResolveAsync(TestCallers.Administrator, Handle, ValueFilter.All, authoritative: true, Ct);

        Assert.Equal("https://new", Values.DataText(outcome.Value!.Values[0]));
        Assert.Equal(2, _node.Store.Reads);
    }

    [Fact]
    public async Task A_cached_not_found_expires_after_the_not_found_ttl()
    {
        Assert.Equal(HandleResponseCode.HandleNotFound, (await _node.ResolveAsync(Handle)).Code);

        // Another node registers it in the shared store; this node keeps its cached answer for a while.
        _node.Store.Put(Handle, Record(Handle, 1, Values.Url(1, "https://example.org")));
        _node.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(HandleResponseCode.HandleNotFound, (await _node.ResolveAsync(Handle)).Code);
        Assert.Equal(1, _node.Store.Reads);

        _node.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(HandleResponseCode.Success, (await _node.ResolveAsync(Handle)).Code);
        Assert.Equal(2, _node.Store.Reads);
    }

    [Fact]
    public async Task A_create_through_the_registrar_clears_a_cached_not_found_at_once()
    {
        Assert.Equal(HandleResponseCode.HandleNotFound, (await _node.ResolveAsync(Handle)).Code);
        Assert.Equal(HandleResponseCode.HandleNotFound, (await _node.ResolveAsync(Handle)).Code);

        Assert.True((await _node.CreateAsync(Handle, Values.Url(1, "https://example.org"))).IsSuccess);

        Assert.Equal("https://example.org", await ResolvedUrlAsync());
    }

    [Fact]
    public async Task Writes_through_the_registrar_are_seen_by_the_next_resolve()
    {
        await _node.CreateAsync(Handle, Values.Url(1, "https://v1"));
        Assert.Equal("https://v1", await ResolvedUrlAsync());

        await _node.Registrar.ModifyValuesAsync(TestCallers.Administrator, Handle, [Values.Url(1, "https://v2")], Ct);
        Assert.Equal("https://v2", await ResolvedUrlAsync());

        await _node.Registrar.DeleteAsync(TestCallers.Administrator, Handle, Ct);
        Assert.Equal(HandleResponseCode.HandleNotFound, (await _node.ResolveAsync(Handle)).Code);
    }

    [Fact]
    public async Task A_record_is_cached_for_its_smallest_value_ttl()
    {
        _node.Store.Put(Handle, Record(Handle, 1, Values.Url(1, "https://old", ttl: 100), Values.Text(2, "EMAIL", "a@b") with { Ttl = 50 }));
        Assert.Equal("https://old", await ResolvedUrlAsync());
        _node.Store.Put(Handle, Record(Handle, 2, Values.Url(1, "https://new", ttl: 100)));

        _node.Time.Advance(TimeSpan.FromSeconds(49));
        Assert.Equal("https://old", await ResolvedUrlAsync());

        _node.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("https://new", await ResolvedUrlAsync());
    }

    [Fact]
    public async Task A_long_ttl_is_capped_at_the_configured_maximum()
    {
        _node.Store.Put(Handle, Record(Handle, 1, Values.Url(1, "https://old", ttl: int.MaxValue)));
        Assert.Equal("https://old", await ResolvedUrlAsync());
        _node.Store.Put(Handle, Record(Handle, 2, Values.Url(1, "https://new")));

        _node.Time.Advance(TimeSpan.FromSeconds(3599));
        Assert.Equal("https://old", await ResolvedUrlAsync());

        _node.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("https://new", await ResolvedUrlAsync());
    }

    [Fact]
    public async Task An_absolute_ttl_ends_caching_at_that_time()
    {
        var expires = _node.NowSeconds + 10;
        _node.Store.Put(Handle, Record(Handle, 1, Values.Url(1, "https://old") with { TtlType = TtlType.Absolute, Ttl = expires }));
        Assert.Equal("https://old", await ResolvedUrlAsync());
        _node.Store.Put(Handle, Record(Handle, 2, Values.Url(1, "https://new")));

        _node.Time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal("https://old", await ResolvedUrlAsync());

        _node.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("https://new", await ResolvedUrlAsync());
    }

    [Fact]
    public async Task A_zero_ttl_record_is_not_cached()
    {
        _node.Store.Put(Handle, Record(Handle, 1, Values.Url(1, "https://example.org", ttl: 0)));

        await _node.ResolveAsync(Handle);
        await _node.ResolveAsync(Handle);

        Assert.Equal(2, _node.Store.Reads);
        Assert.False((await _node.Cache.GetAsync(Handle, CancellationToken.None)).Hit);
    }
}
