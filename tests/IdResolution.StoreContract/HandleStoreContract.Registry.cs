using IdResolution.Core;
using IdResolution.Core.Records;
using IdResolution.Core.Registration;
using IdResolution.Core.Resolution;

namespace IdResolution.StoreContract;

/// <summary>The registration rules of the node, run through the real registrar, cache and resolver over the store.</summary>
public abstract partial class HandleStoreContract
{
    [Fact]
    public async Task Registrar_create_then_resolve_returns_the_stored_values()
    {
        var store = await OpenAsync();
        using var node = new RegistryNode(store);
        const string handle = Prefix + "/ABC-0001";

        var created = await node.Registrar.CreateAsync(TestCallers.Administrator, new CreateRequest(handle, [Text(1, "https://example.org/a"), Text(2, "x@example.org", WellKnownTypes.Email)]), Ct);

        Assert.True(created.IsSuccess, created.Message);
        Assert.True(created.Value.Created);
        var stored = await store.GetAsync(Key(handle), Ct);
        AssertSameRecord(created.Value.Record!, stored);
        Assert.Equal(["https://example.org/a", "x@example.org"], await ResolveDataAsync(node, handle));
        Assert.Equal(["https://example.org/a", "x@example.org"], await ResolveDataAsync(node, handle, authoritative: true));
    }

    [Fact]
    public async Task Registrar_create_of_an_existing_handle_with_other_values_is_refused_with_101()
    {
        var store = await OpenAsync();
        using var node = new RegistryNode(store);
        const string handle = Prefix + "/ABC-0002";
        await CreateAsync(node, handle, Text(1, "first"));

        var again = await node.Registrar.CreateAsync(TestCallers.Administrator, new CreateRequest(handle, [Text(1, "second")]), Ct);

        Assert.Equal(HandleResponseCode.HandleAlreadyExists, again.Code);
        Assert.Equal(["first"], await ResolveDataAsync(node, handle, authoritative: true));
    }

    [Fact]
    public async Task Registrar_identical_create_is_an_idempotent_success()
    {
        var store = await OpenAsync();
        using var node = new RegistryNode(store);
        const string handle = Prefix + "/ABC-0003";
        var first = await CreateAsync(node, handle, Text(1, "same"));

        var retry = await node.Registrar.CreateAsync(TestCallers.Administrator, new CreateRequest(handle, [Text(1, "same")]), Ct);

        Assert.True(retry.IsSuccess, retry.Message);
        Assert.False(retry.Value.Created);
        Assert.Equal(first.Version, (await store.GetAsync(Key(handle), Ct))!.Version);
    }

    [Fact]
    public async Task Registrar_create_with_overwrite_replaces_the_values_and_the_cached_answer()
    {
        var store = await OpenAsync();
        using var node = new RegistryNode(store);
        const string handle = Prefix + "/ABC-0004";
        await CreateAsync(node, handle, Text(1, "old"), Text(2, "gone"));
        Assert.Equal(["old", "gone"], await ResolveDataAsync(node, handle));

        var overwritten = await node.Registrar.CreateAsync(TestCallers.Administrator, new CreateRequest(handle, [Text(1, "new")], Overwrite: true), Ct);

        Assert.True(overwritten.IsSuccess, overwritten.Message);
        Assert.False(overwritten.Value.Created);
        Assert.Equal(["new"], await ResolveDataAsync(node, handle));
    }

    [Fact]
    public async Task Registrar_value_add_modify_remove_answer_with_handle_protocol_codes()
    {
        var store = await OpenAsync();
        using var node = new RegistryNode(store);
        const string handle = Prefix + "/ABC-0005";
        await CreateAsync(node, handle, Text(1, "one"));
        Assert.Equal(["one"], await ResolveDataAsync(node, handle));

        Assert.Equal(HandleResponseCode.Success, (await node.Registrar.AddValuesAsync(TestCallers.Administrator, handle, [Text(2, "two")], Ct)).Code);
        Assert.Equal(["one", "two"], await ResolveDataAsync(node, handle));
        Assert.Equal(HandleResponseCode.ValueAlreadyExists, (await node.Registrar.AddValuesAsync(TestCallers.Administrator, handle, [Text(2, "again")], Ct)).Code);

        Assert.Equal(HandleResponseCode.Success, (await node.Registrar.ModifyValuesAsync(TestCallers.Administrator, handle, [Text(2, "TWO")], Ct)).Code);
        Assert.Equal(["one", "TWO"], await ResolveDataAsync(node, handle));
        Assert.Equal(HandleResponseCode.ValuesNotFound, (await node.Registrar.ModifyValuesAsync(TestCallers.Administrator, handle, [Text(3, "three")], Ct)).Code);

        Assert.Equal(HandleResponseCode.Success, (await node.Registrar.RemoveValuesAsync(TestCallers.Administrator, handle, [2], Ct)).Code);
        Assert.Equal(["one"], await ResolveDataAsync(node, handle));
        Assert.Equal(HandleResponseCode.ValuesNotFound, (await node.Registrar.RemoveValuesAsync(TestCallers.Administrator, handle, [2], Ct)).Code);

        const string missing = Prefix + "/NOT-THERE";
        Assert.Equal(HandleResponseCode.HandleNotFound, (await node.Registrar.AddValuesAsync(TestCallers.Administrator, missing, [Text(2, "x")], Ct)).Code);
        Assert.Equal(HandleResponseCode.HandleNotFound, (await node.Registrar.ModifyValuesAsync(TestCallers.Administrator, missing, [Text(1, "x")], Ct)).Code);
        Assert.Equal(HandleResponseCode.HandleNotFound, (await node.Registrar.RemoveValuesAsync(TestCallers.Administrator, missing, [1], Ct)).Code);
        Assert.Null(await store.GetAsync(Key(missing), Ct));
        Assert.Equal(["one"], DataOfAll(await store.GetAsync(Key(handle), Ct)));
    }

    [Fact]
    public async Task Registrar_delete_removes_the_handle_from_resolution_and_listing()
    {
        var store = await OpenAsync();
        using var node = new RegistryNode(store);
        const string handle = Prefix + "/ABC-0006";
        const string kept = Prefix + "/ABC-0007";
        await CreateAsync(node, handle, Text(1, "x"));
        await CreateAsync(node, kept, Text(1, "y"));
        Assert.Equal(["x"], await ResolveDataAsync(node, handle));

        var deleted = await node.Registrar.DeleteAsync(TestCallers.Administrator, handle, Ct);
        var again = await node.Registrar.DeleteAsync(TestCallers.Administrator, handle, Ct);

        Assert.True(deleted.IsSuccess, deleted.Message);
        Assert.Null(deleted.Value.Record);
        Assert.Equal(HandleResponseCode.HandleNotFound, again.Code);
        Assert.Equal(HandleResponseCode.HandleNotFound, (await node.Resolver.ResolveAsync(TestCallers.Administrator, handle, ValueFilter.All, false, Ct)).Code);
        Assert.Null(await store.GetAsync(Key(handle), Ct));
        var listing = await node.Registrar.ListAsync(TestCallers.Administrator, Prefix, 10, null, Ct);
        Assert.Equal([kept], listing.Value!.Handles);
    }

    [Fact]
    public async Task Registrar_batch_with_partial_failure_answers_each_item_and_writes_only_the_good_ones()
    {
        var store = await OpenAsync();
        using var node = new RegistryNode(store);
        const string existing = Prefix + "/BATCH-B";
        await CreateAsync(node, existing, Text(1, "b"));

        var outcomes = await node.Registrar.CreateBatchAsync(TestCallers.Administrator, 
        [
            new CreateRequest(Prefix + "/BATCH-A", [Text(1, "a")]),
            new CreateRequest(existing, [Text(1, "other")]),
            new CreateRequest("no slash here", [Text(1, "bad")]),
            new CreateRequest(Prefix + "/BATCH-C", [Text(0, "index zero is reserved")]),
            new CreateRequest(Prefix + "/BATCH-D", [Text(1, "d")]),
        ], Ct);

        Assert.Equal(
            [HandleResponseCode.Success, HandleResponseCode.HandleAlreadyExists, HandleResponseCode.InvalidHandle, HandleResponseCode.InvalidValue, HandleResponseCode.Success],
            outcomes.Select(o => o.Code));
        Assert.Equal(["a"], DataOfAll(await store.GetAsync(Key(Prefix + "/BATCH-A"), Ct)));
        Assert.Equal(["b"], DataOfAll(await store.GetAsync(Key(existing), Ct)));
        Assert.Null(await store.GetAsync(Key(Prefix + "/BATCH-C"), Ct));
        Assert.Equal(["d"], DataOfAll(await store.GetAsync(Key(Prefix + "/BATCH-D"), Ct)));
    }

    [Fact]
    public async Task Registrar_writes_are_all_there_after_reopening()
    {
        var store = await OpenAsync();
        var handles = Enumerable.Range(0, 40).Select(i => $"{Prefix}/durable-{i:D2}").ToArray();
        using (var node = new RegistryNode(store))
        {
            var created = await node.Registrar.CreateBatchAsync(TestCallers.Administrator, [.. handles.Select(h => new CreateRequest(h, [Text(1, h)]))], Ct);
            Assert.All(created, c => Assert.True(c.IsSuccess, c.Message));
            Assert.True((await node.Registrar.AddValuesAsync(TestCallers.Administrator, handles[0], [Text(2, "added")], Ct)).IsSuccess);
            Assert.True((await node.Registrar.DeleteAsync(TestCallers.Administrator, handles[1], Ct)).IsSuccess);
        }

        await store.DisposeAsync();
        var reopened = await OpenAsync();
        using var after = new RegistryNode(reopened);

        Assert.Equal([handles[0], "added"], await ResolveDataAsync(after, handles[0]));
        Assert.Equal(HandleResponseCode.HandleNotFound, (await after.Resolver.ResolveAsync(TestCallers.Administrator, handles[1], ValueFilter.All, false, Ct)).Code);
        foreach (var handle in handles[2..])
        {
            Assert.Equal([handle], await ResolveDataAsync(after, handle));
        }

        var listing = await after.Registrar.ListAsync(TestCallers.Administrator, Prefix, 100, null, Ct);
        Assert.Equal(handles.Where((_, i) => i != 1), listing.Value!.Handles);
    }

    protected static async Task<HandleRecord> CreateAsync(RegistryNode node, string handle, params HandleValue[] values)
    {
        ArgumentNullException.ThrowIfNull(node);
        var outcome = await node.Registrar.CreateAsync(TestCallers.Administrator, new CreateRequest(handle, values), Ct);
        Assert.True(outcome.IsSuccess, outcome.Message);
        return outcome.Value.Record!;
    }

    protected static async Task<string[]> ResolveDataAsync(RegistryNode node, string handle, bool authoritative = false)
    {
        ArgumentNullException.ThrowIfNull(node);
        var outcome = await node.Resolver.ResolveAsync(TestCallers.Administrator, handle, ValueFilter.All, authoritative, Ct);
        Assert.True(outcome.IsSuccess, outcome.Message);
        return [.. outcome.Value.Values.Select(DataOf)];
    }

    private static string[] DataOfAll(HandleRecord? record)
    {
        Assert.NotNull(record);
        return [.. record.Values.Select(DataOf)];
    }
}
