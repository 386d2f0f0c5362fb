using IdResolution.Core.Caching;
using IdResolution.Core.Records;
using IdResolution.Core.Resolution;
using IdResolution.Core.Security;
using IdResolution.Core.Tests.Support;

namespace IdResolution.Core.Tests.Resolution;

/// <summary>A resolve batch reads its uncached handles together, and answers each handle as a single resolve would, in order.</summary>
public sealed class ResolveManyTests : IDisposable
{
    private readonly Node _node = new(new CacheOptions { NotFoundTtlSeconds = 30, MaxTtlSeconds = 3600 });

    public void Dispose() => _node.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ValueTask<Outcome<Core.Resolution.Resolution>[]> ResolveManyAsync(params string[] handles) =>
        _node.Resolver.ResolveManyAsync(Caller.Anonymous("127.0.0.1"), handles, ValueFilter.All, Ct);

    [Fact]
    public async Task Each_handle_is_answered_in_order_with_duplicates_and_failures_in_the_middle_from_one_store_read()
    {
        _node.Store.Put("88.709.911/A", new HandleRecord("88.709.911/A", [Values.Url(1, "https://a")], 1));
        _node.Store.Put("88.709.911/B", new HandleRecord("88.709.911/B", [Values.Url(1, "https://b")], 1));
        string[] handles = ["88.709.911/A", "no-slash", "88.709.911/MISSING", "88.709.911/B", "88.709.911/a", "88.709.911/A"];

        var outcomes = await ResolveManyAsync(handles);

        Assert.Equal(
            [HandleResponseCode.Success, HandleResponseCode.InvalidHandle, HandleResponseCode.HandleNotFound,
                HandleResponseCode.Success, HandleResponseCode.Success, HandleResponseCode.Success],
            outcomes.Select(o => o.IsSuccess ? o.Value.Code : o.Code));
        Assert.Equal(["https://a", "https://b", "https://a", "https://a"],
            outcomes.Where(o => o.IsSuccess).Select(o => Values.DataText(o.Value!.Values.Single())));
        Assert.Equal("88.709.911/a", outcomes[4].Value!.Handle.Text);
        Assert.Equal(1, _node.Store.MultiGetCalls);
        Assert.Equal(3, _node.Store.Reads);

        for (var i = 0; i < handles.Length; i++)
        {
            var single = await _node.ResolveAsync(handles[i]);
            Assert.Equal(single.IsSuccess ? single.Value!.Code : single.Code, outcomes[i].IsSuccess ? outcomes[i].Value!.Code : outcomes[i].Code);
            Assert.Equal(single.Message, outcomes[i].Message);
        }
    }

    [Fact]
    public async Task A_second_batch_is_answered_from_the_in_process_tier_including_its_not_founds()
    {
        _node.Store.Put("88.709.911/A", new HandleRecord("88.709.911/A", [Values.Url(1, "https://a")], 1));
        await ResolveManyAsync("88.709.911/A", "88.709.911/MISSING");

        var again = await ResolveManyAsync("88.709.911/MISSING", "88.709.911/A");

        Assert.Equal([HandleResponseCode.HandleNotFound, HandleResponseCode.Success], again.Select(o => o.IsSuccess ? o.Value.Code : o.Code));
        Assert.Equal(1, _node.Store.MultiGetCalls);
        Assert.Equal(2, _node.Store.Reads);
    }

    [Fact]
    public async Task A_batch_reads_the_shared_tier_once_and_the_store_only_for_what_it_lacks()
    {
        var shared = new InMemorySharedCache();
        using var node = new Node(new CacheOptions { NotFoundTtlSeconds = 30, MaxTtlSeconds = 3600 }, shared: shared);
        node.Store.Put("88.709.911/A", new HandleRecord("88.709.911/A", [Values.Url(1, "https://a")], 1));
        node.Store.Put("88.709.911/B", new HandleRecord("88.709.911/B", [Values.Url(1, "https://b")], 1));
        Assert.True(node.Grammar.TryParse("88.709.911/A", out var id, out _));
        shared.Put(id.Key, new HandleRecord("88.709.911/A", [Values.Url(1, "https://from-shared")], 1), TimeSpan.FromMinutes(5));

        var outcomes = await node.Resolver.ResolveManyAsync(Caller.Anonymous("127.0.0.1"), ["88.709.911/A", "88.709.911/B"], ValueFilter.All, Ct);

        Assert.Equal(["https://from-shared", "https://b"], outcomes.Select(o => Values.DataText(o.Value!.Values.Single())));
        Assert.Equal(1, node.Store.MultiGetCalls);
        Assert.Equal(1, node.Store.Reads);
    }
}
