using IdResolution.Core.Registration;
using IdResolution.Core.Storage;

namespace IdResolution.StoreContract;

/// <summary>Prefix listings: order, paging cursors, and the boundary between neighbouring prefixes.</summary>
public abstract partial class HandleStoreContract
{
    // Each sorts right next to "88.709.911/..." in key order, so a prefix match that forgot the '/' would take it in.
    private static readonly string[] Neighbours =
    [
        "88.709.9111/item-0001",
        "88.709.9110/item-0001",
        "88.709.91/item-0001",
        "88.709.911.1/item-0001",
        "88.709.910/item-0001",
        "0.NA/88.709.911",
    ];

    [Fact]
    public async Task Listing_pages_through_every_handle_of_a_prefix_once_in_key_order()
    {
        var store = await OpenAsync();
        var handles = Enumerable.Range(0, 250).Select(i => $"{Prefix}/item-{i:D4}").ToList();
        var version = 1000;

        // Written in a scrambled order, so the order of a listing is the store's doing.
        foreach (var chunk in handles.OrderBy(h => h.GetHashCode(StringComparison.Ordinal)).Concat(Neighbours).Chunk(60))
        {
            var results = await store.WriteAsync([.. chunk.Select(h => StoreWrite.Create(Key(h), Record(h, ++version, Text(1, h))))], Ct);
            Assert.All(results, r => Assert.Equal(StoreWriteResult.Applied, r));
        }

        var pages = new List<HandlePage>();
        string? after = null;
        do
        {
            var page = await store.ListAsync(Prefix, after, 100, Ct);
            pages.Add(page);
            after = page.NextAfterKey;
            Assert.True(pages.Count <= 5, "the listing does not end");
        }
        while (after is not null);

        Assert.Equal([100, 100, 50], pages.Select(p => p.Handles.Count));
        Assert.Equal(pages[0].Handles[^1].Key, pages[0].NextAfterKey);
        Assert.Equal(pages[1].Handles[^1].Key, pages[1].NextAfterKey);
        var listed = pages.SelectMany(p => p.Handles).ToList();
        Assert.Equal(handles.Select(Key).Order(StringComparer.Ordinal), listed.Select(h => h.Key));
        Assert.Equal(handles, listed.Select(h => h.Handle));
    }

    [Fact]
    public async Task Listing_a_prefix_never_shows_handles_of_a_neighbouring_prefix()
    {
        var store = await OpenAsync();
        string[] mine = [Prefix + "/0", Prefix + "/zzz"];
        await store.WriteAsync([.. mine.Concat(Neighbours).Select((h, i) => StoreWrite.Create(Key(h), Record(h, 10 + i, Text(1, h))))], Ct);

        var page = await store.ListAsync(Prefix, null, 100, Ct);
        var sibling = await store.ListAsync("88.709.9111", null, 100, Ct);
        var shorter = await store.ListAsync("88.709.91", null, 100, Ct);

        Assert.Equal(mine, page.Handles.Select(h => h.Handle));
        Assert.Null(page.NextAfterKey);
        Assert.Equal(["88.709.9111/item-0001"], sibling.Handles.Select(h => h.Handle));
        Assert.Equal(["88.709.91/item-0001"], shorter.Handles.Select(h => h.Handle));
    }

    [Fact]
    public async Task Listing_after_a_key_starts_strictly_after_it_even_when_it_is_gone()
    {
        var store = await OpenAsync();
        var handles = Enumerable.Range(0, 20).Select(i => $"{Prefix}/k{i:D2}").ToArray();
        await store.WriteAsync([.. handles.Select((h, i) => StoreWrite.Create(Key(h), Record(h, 10 + i, Text(1, h))))], Ct);

        var afterTenth = await store.ListAsync(Prefix, Key(handles[9]), 5, Ct);
        await WriteOneAsync(store, StoreWrite.Delete(Key(handles[14]), 10 + 14));
        var afterDeleted = await store.ListAsync(Prefix, Key(handles[14]), 100, Ct);

        Assert.Equal(handles[10..15], afterTenth.Handles.Select(h => h.Handle));
        Assert.Equal(Key(handles[14]), afterTenth.NextAfterKey);
        Assert.Equal(handles[15..], afterDeleted.Handles.Select(h => h.Handle));
        Assert.Null(afterDeleted.NextAfterKey);
    }

    [Fact]
    public async Task Listing_shows_the_current_display_spelling_under_the_canonical_key()
    {
        var store = await OpenAsync();
        const string first = Prefix + "/MixedCase-Handle";
        const string second = Prefix + "/mixedcase-HANDLE";
        await WriteOneAsync(store, StoreWrite.Create(Key(first), Record(first, 10, Text(1, "x"))));
        var before = Assert.Single((await store.ListAsync(Prefix, null, 10, Ct)).Handles);

        await WriteOneAsync(store, StoreWrite.Replace(Key(second), 10, Record(second, 20, Text(1, "y"))));
        var after = Assert.Single((await store.ListAsync(Prefix, null, 10, Ct)).Handles);

        Assert.Equal(new ListedHandle(Prefix + "/MIXEDCASE-HANDLE", first), before);
        Assert.Equal(new ListedHandle(Prefix + "/MIXEDCASE-HANDLE", second), after);
    }

    [Fact]
    public async Task Listing_an_empty_prefix_returns_an_empty_last_page()
    {
        var store = await OpenAsync();

        var page = await store.ListAsync("88.709.912", null, 100, Ct);

        Assert.Empty(page.Handles);
        Assert.Null(page.NextAfterKey);
    }

    [Fact]
    public async Task Registrar_listing_pages_with_tokens_through_every_handle_once()
    {
        var store = await OpenAsync();
        using var node = new RegistryNode(store);
        var handles = Enumerable.Range(0, 250).Select(i => $"{Prefix}/reg-{i:D4}").ToList();
        var created = await node.Registrar.CreateBatchAsync(TestCallers.Administrator, [.. handles.Concat(Neighbours).Select(h => new CreateRequest(h, [Text(1, h)]))], Ct);
        Assert.All(created, c => Assert.True(c.IsSuccess, c.Message));

        var pages = new List<HandleListing>();
        string? token = null;
        do
        {
            var outcome = await node.Registrar.ListAsync(TestCallers.Administrator, Prefix, 100, token, Ct);
            Assert.True(outcome.IsSuccess, outcome.Message);
            pages.Add(outcome.Value);
            token = outcome.Value.NextPageToken;
            Assert.True(pages.Count <= 5, "the listing does not end");
        }
        while (token is not null);

        Assert.Equal([100, 100, 50], pages.Select(p => p.Handles.Count));
        Assert.Equal(handles, pages.SelectMany(p => p.Handles));
    }
}
