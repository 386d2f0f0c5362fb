using Grpc.Core;
using IdResolution.Contracts.V1;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Node.Tests;

/// <summary>The registry and resolver through the real host over gRPC, with every Handle response code the API promises.</summary>
public sealed class GrpcSurfaceTests : IClassFixture<NodeFactory>
{
    private readonly Registry.RegistryClient _registry;
    private readonly Contracts.V1.Resolution.ResolutionClient _resolution;
    private readonly Contracts.V1.Resolution.ResolutionClient _anonymous;

    public GrpcSurfaceTests(NodeFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _registry = factory.Registry;
        _resolution = factory.Resolution;
        _anonymous = new Contracts.V1.Resolution.ResolutionClient(factory.AnonymousChannel);
    }

    [Fact]
    public async Task Answers_kept_for_hot_handles_follow_a_change_and_a_batch_keeps_its_order_with_duplicates_and_misses()
    {
        await _registry.CreateHandleAsync(Values.Create("88.709.911/Hot-0001", Values.Url(1, "https://example.test/hot/1")));
        var batch = new ResolveBatchRequest { Handles = { "88.709.911/Hot-0001", "88.709.911/Hot-Missing", "88.709.911/hot-0001", "not a handle", "88.709.911/Hot-0001" } };
        for (var i = 0; i < 3; i++)
        {
            Assert.Single((await _resolution.ResolveAsync(new ResolveRequest { Handle = "88.709.911/Hot-0001" })).Values);
            var results = (await _resolution.ResolveBatchAsync(batch)).Results;
            Assert.Equal([1, 100, 1, 102, 1], results.Select(r => r.ResponseCode));
            Assert.Equal(["88.709.911/Hot-0001", "88.709.911/Hot-Missing", "88.709.911/Hot-0001", "not a handle", "88.709.911/Hot-0001"], results.Select(r => r.Handle));
            Assert.All(results.Where(r => r.ResponseCode == 1), r => Assert.Single(r.Values));
        }

        await _registry.AddValuesAsync(new ValuesRequest { Handle = "88.709.911/Hot-0001", Values = { Values.Text(2, "EMAIL", "hot@example.test") } });

        Assert.Equal([1u, 2u], (await _resolution.ResolveAsync(new ResolveRequest { Handle = "88.709.911/Hot-0001" })).Values.Select(v => v.Index));
        var after = (await _resolution.ResolveBatchAsync(batch)).Results;
        Assert.All(after.Where(r => r.ResponseCode == 1), r => Assert.Equal([1u, 2u], r.Values.Select(v => v.Index)));
        var filtered = await _resolution.ResolveAsync(new ResolveRequest { Handle = "88.709.911/Hot-0001", Type = { "EMAIL" } });
        Assert.Equal(2u, Assert.Single(filtered.Values).Index);
    }

    [Fact]
    public async Task Create_then_resolve_returns_the_values_as_registered()
    {
        var created = await _registry.CreateHandleAsync(Values.Create("88.709.911/Grpc-0001",
            Values.Url(1, "https://example.test/p/1"), Values.Text(2, "EMAIL", "ops@example.test", ttl: 600)));

        Assert.True(created.Created);
        Assert.Equal(1, created.ResponseCode);

        var resolved = await _resolution.ResolveAsync(new ResolveRequest { Handle = "88.709.911/grpc-0001" });
        Assert.Equal("88.709.911/Grpc-0001", resolved.Handle);
        Assert.Equal(1, resolved.ResponseCode);
        Assert.Collection(resolved.Values,
            v =>
            {
                Assert.Equal(1u, v.Index);
                Assert.Equal("URL", v.Type);
                Assert.Equal("https://example.test/p/1", v.Data.StringValue);
                Assert.Equal(86400u, v.TtlSeconds);
                Assert.True(v.Timestamp.Seconds > 0);
            },
            v =>
            {
                Assert.Equal("ops@example.test", v.Data.StringValue);
                Assert.Equal(600u, v.TtlSeconds);
            });
    }

    [Fact]
    public async Task Type_and_index_filters_are_ored_and_a_trailing_dot_matches_subtypes()
    {
        await _registry.CreateHandleAsync(Values.Create("88.709.911/filters",
            Values.Url(1, "https://a.test"), Values.Text(2, "URL.ja", "https://a.test/ja"), Values.Text(3, "EMAIL", "x@a.test"), Values.Text(4, "DESC", "d")));

        var request = new ResolveRequest { Handle = "88.709.911/filters" };
        request.Type.Add("URL.");
        request.Index.Add(4);
        var resolved = await _resolution.ResolveAsync(request);
        Assert.Equal([1u, 2u, 4u], resolved.Values.Select(v => v.Index));

        var none = new ResolveRequest { Handle = "88.709.911/filters" };
        none.Type.Add("NOPE");
        var empty = await _resolution.ResolveAsync(none);
        Assert.Equal(200, empty.ResponseCode);
        Assert.Empty(empty.Values);
    }

    [Fact]
    public async Task Values_without_public_read_are_not_returned_to_anonymous_resolution()
    {
        var secret = Values.Text(2, "SECRET", "internal");
        secret.Permissions = "1100";
        await _registry.CreateHandleAsync(Values.Create("88.709.911/private", Values.Url(1, "https://p.test"), secret));

        var resolved = await _anonymous.ResolveAsync(new ResolveRequest { Handle = "88.709.911/private" });
        Assert.Equal([1u], resolved.Values.Select(v => v.Index));

        var asAdministrator = await _resolution.ResolveAsync(new ResolveRequest { Handle = "88.709.911/private" });
        Assert.Equal([1u, 2u], asAdministrator.Values.Select(v => v.Index));
    }

    [Fact]
    public async Task Every_error_code_comes_back_with_its_status_and_response_code()
    {
        await _registry.CreateHandleAsync(Values.Create("88.709.911/codes", Values.Url(1, "https://c.test")));

        Assert.Equal((StatusCode.NotFound, 100), Short(await Errors.Capture(() => _resolution.ResolveAsync(new ResolveRequest { Handle = "88.709.911/absent" }).ResponseAsync)));
        Assert.Equal((StatusCode.AlreadyExists, 101), Short(await Errors.Capture(() => _registry.CreateHandleAsync(Values.Create("88.709.911/codes", Values.Url(1, "https://other.test"))).ResponseAsync)));
        Assert.Equal((StatusCode.InvalidArgument, 102), Short(await Errors.Capture(() => _resolution.ResolveAsync(new ResolveRequest { Handle = "88..709/x" }).ResponseAsync)));

        var modifyMissing = new ValuesRequest { Handle = "88.709.911/codes" };
        modifyMissing.Values.Add(Values.Url(9, "https://nine.test"));
        Assert.Equal((StatusCode.NotFound, 200), Short(await Errors.Capture(() => _registry.ModifyValuesAsync(modifyMissing).ResponseAsync)));

        var addExisting = new ValuesRequest { Handle = "88.709.911/codes" };
        addExisting.Values.Add(Values.Url(1, "https://again.test"));
        Assert.Equal((StatusCode.AlreadyExists, 201), Short(await Errors.Capture(() => _registry.AddValuesAsync(addExisting).ResponseAsync)));

        var badAdmin = new ValuesRequest { Handle = "88.709.911/codes" };
        badAdmin.Values.Add(Values.Admin(100, "0.NA/88.709.911", 200, "12"));
        Assert.Equal((StatusCode.InvalidArgument, 202), Short(await Errors.Capture(() => _registry.AddValuesAsync(badAdmin).ResponseAsync)));

        var list = new ListHandlesRequest { Prefix = "88.709.911", PageToken = "not-a-token" };
        Assert.Equal((StatusCode.InvalidArgument, 4), Short(await Errors.Capture(() => _registry.ListHandlesAsync(list).ResponseAsync)));

        Assert.Equal((StatusCode.NotFound, 100), Short(await Errors.Capture(() => _registry.DeleteHandleAsync(new DeleteHandleRequest { Handle = "88.709.911/absent" }).ResponseAsync)));

        var unchanged = await _resolution.ResolveAsync(new ResolveRequest { Handle = "88.709.911/codes" });
        Assert.Equal("https://c.test", Assert.Single(unchanged.Values).Data.StringValue);
    }

    [Fact]
    public async Task Add_modify_remove_and_delete_change_only_what_they_name()
    {
        await _registry.CreateHandleAsync(Values.Create("88.709.911/lifecycle", Values.Url(1, "https://v1.test")));

        var add = new ValuesRequest { Handle = "88.709.911/lifecycle" };
        add.Values.Add(Values.Text(2, "EMAIL", "a@b.test"));
        await _registry.AddValuesAsync(add);

        var modify = new ValuesRequest { Handle = "88.709.911/lifecycle" };
        modify.Values.Add(Values.Url(1, "https://v2.test"));
        var modified = await _registry.ModifyValuesAsync(modify);
        Assert.Equal(["https://v2.test", "a@b.test"], modified.Values.Select(v => v.Data.StringValue));

        var remove = new RemoveValuesRequest { Handle = "88.709.911/lifecycle" };
        remove.Indexes.Add(2);
        await _registry.RemoveValuesAsync(remove);
        var resolved = await _resolution.ResolveAsync(new ResolveRequest { Handle = "88.709.911/lifecycle" });
        Assert.Equal("https://v2.test", Assert.Single(resolved.Values).Data.StringValue);

        await _registry.DeleteHandleAsync(new DeleteHandleRequest { Handle = "88.709.911/LIFECYCLE" });
        var gone = await Errors.Capture(() => _resolution.ResolveAsync(new ResolveRequest { Handle = "88.709.911/lifecycle" }).ResponseAsync);
        Assert.Equal(100, gone.ResponseCode);
    }

    [Fact]
    public async Task A_retried_create_with_the_same_values_succeeds_and_overwrite_replaces()
    {
        var request = Values.Create("88.709.911/retry", Values.Url(1, "https://r.test"));
        Assert.True((await _registry.CreateHandleAsync(request)).Created);
        var again = await _registry.CreateHandleAsync(request);
        Assert.False(again.Created);
        Assert.Equal(1, again.ResponseCode);

        var replace = Values.Create("88.709.911/retry", Values.Url(5, "https://r2.test"));
        replace.Overwrite = true;
        var replaced = await _registry.CreateHandleAsync(replace);
        Assert.Equal([5u], replaced.Values.Select(v => v.Index));
    }

    [Fact]
    public async Task Batches_report_one_result_per_item_in_order_with_partial_success()
    {
        await _registry.CreateHandleAsync(Values.Create("88.709.912/exists", Values.Url(1, "https://e.test")));
        var batch = new BatchCreateRequest();
        batch.Items.Add(Values.Create("88.709.912/b-1", Values.Url(1, "https://1.test")));
        batch.Items.Add(Values.Create("88.709.912/exists", Values.Url(1, "https://other.test")));
        batch.Items.Add(Values.Create("88.709.912/", Values.Url(1, "https://bad.test")));
        batch.Items.Add(Values.Create("88.709.912/b-2", Values.Url(0, "https://zero.test")));
        batch.Items.Add(Values.Create("88.709.912/b-3", Values.Url(1, "https://3.test")));

        var created = await _registry.BatchCreateAsync(batch);
        Assert.Equal([1, 101, 102, 202, 1], created.Results.Select(r => r.ResponseCode));
        Assert.Equal(2u, created.Succeeded);
        Assert.Equal(3u, created.Failed);
        Assert.All(created.Results.Where(r => r.ResponseCode != 1), r => Assert.NotEmpty(r.Message));

        var update = new BatchUpdateRequest();
        var item = new UpdateItem { Handle = "88.709.912/b-1" };
        item.Values.Add(Values.Text(2, "EMAIL", "b1@x.test"));
        update.Items.Add(item);
        update.Items.Add(new UpdateItem { Handle = "88.709.912/never", Values = { Values.Url(1, "https://n.test") } });
        var updated = await _registry.BatchUpdateAsync(update);
        Assert.Equal([1, 100], updated.Results.Select(r => r.ResponseCode));

        var resolve = new ResolveBatchRequest();
        resolve.Handles.AddRange(["88.709.912/b-3", "88.709.912/nope", "bad", "88.709.912/B-1"]);
        var resolved = await _resolution.ResolveBatchAsync(resolve);
        Assert.Equal([1, 100, 102, 1], resolved.Results.Select(r => r.ResponseCode));
        Assert.Equal(2, resolved.Results[3].Values.Count);

        var delete = new BatchDeleteRequest();
        delete.Handles.AddRange(["88.709.912/b-1", "88.709.912/b-1"]);
        var deleted = await _registry.BatchDeleteAsync(delete);
        Assert.Equal([1, 100], deleted.Results.Select(r => r.ResponseCode));
    }

    [Fact]
    public async Task Oversized_batches_are_refused_whole_and_store_nothing()
    {
        var batch = new BatchCreateRequest();
        for (var i = 0; i < 2001; i++)
        {
            batch.Items.Add(Values.Create($"88.709.913/over-{i}", Values.Url(1, "https://o.test")));
        }

        var refused = await Errors.Capture(() => _registry.BatchCreateAsync(batch).ResponseAsync);
        Assert.Equal((StatusCode.InvalidArgument, 4), Short(refused));
        Assert.Contains("2000", refused.Message, StringComparison.Ordinal);

        var listed = await _registry.ListHandlesAsync(new ListHandlesRequest { Prefix = "88.709.913" });
        Assert.Empty(listed.Handles);

        var resolve = new ResolveBatchRequest();
        resolve.Handles.AddRange(Enumerable.Range(0, 1001).Select(i => $"88.709.913/r-{i}"));
        Assert.Equal(4, (await Errors.Capture(() => _resolution.ResolveBatchAsync(resolve).ResponseAsync)).ResponseCode);
    }

    [Fact]
    public async Task Listing_pages_through_a_prefix_in_a_stable_order()
    {
        var batch = new BatchCreateRequest();
        for (var i = 0; i < 25; i++)
        {
            batch.Items.Add(Values.Create($"88.709.914/item-{i:D3}", Values.Url(1, "https://l.test")));
        }

        batch.Items.Add(Values.Create("88.709.9141/sibling", Values.Url(1, "https://s.test")));
        Assert.Equal(0u, (await _registry.BatchCreateAsync(batch)).Failed);

        var seen = new List<string>();
        var token = string.Empty;
        var pages = 0;
        do
        {
            var page = await _registry.ListHandlesAsync(new ListHandlesRequest { Prefix = "88.709.914", PageSize = 10, PageToken = token });
            seen.AddRange(page.Handles);
            token = page.NextPageToken;
            pages++;
        }
        while (token.Length > 0);

        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"88.709.914/item-{i:D3}"), seen);
        Assert.InRange(pages, 3, 4);
    }

    private static (StatusCode, int) Short((StatusCode Status, int ResponseCode, string Message) error) => (error.Status, error.ResponseCode);
}
