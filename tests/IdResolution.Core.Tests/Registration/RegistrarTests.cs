using IdResolution.Core.Records;
using IdResolution.Core.Registration;
using IdResolution.Core.Storage;
using IdResolution.Core.Tests.Support;

namespace IdResolution.Core.Tests.Registration;

public sealed class RegistrarTests : IDisposable
{
    private const string Handle = "88.709.911/ABC-0001";
    private readonly Node _node = new();

    public void Dispose() => _node.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Registrar Registrar => _node.Registrar;

    private HandleRecord Stored(string key = Handle) => _node.Store.Peek(key) ?? throw new InvalidOperationException($"{key} is not stored");

    [Fact]
    public async Task A_create_stores_the_record_stamped_and_sorted()
    {
        var outcome = await _node.CreateAsync("88.709.911/abc-0001", Values.Url(2, "https://b"), Values.HsAdmin(), Values.Url(1, "https://a"));

        Assert.True(outcome.IsSuccess);
        Assert.True(outcome.Value.Created);
        Assert.Equal("88.709.911/ABC-0001", outcome.Value.Handle.Key);
        var record = Stored();
        Assert.Same(record, outcome.Value.Record);
        Assert.Equal("88.709.911/abc-0001", record.Handle);
        Assert.Equal([1, 2, 100], record.Values.Select(v => v.Index));
        Assert.All(record.Values, v => Assert.Equal(_node.NowSeconds, v.Timestamp));
        Assert.True(record.Version > StoreWrite.Absent);
    }

    [Fact]
    public async Task A_create_with_an_invalid_handle_or_value_never_reaches_the_store()
    {
        var badHandle = await _node.CreateAsync("88..1/x", Values.Url(1, "https://a"));
        var badValue = await _node.CreateAsync(Handle, Values.Url(0, "https://a"));

        Assert.Equal(HandleResponseCode.InvalidHandle, badHandle.Code);
        Assert.Equal(HandleResponseCode.InvalidValue, badValue.Code);
        Assert.Equal(0, _node.Store.Reads);
        Assert.Equal(0, _node.Store.WriteCalls);
    }

    [Fact]
    public async Task A_second_create_with_other_values_is_already_exists()
    {
        await _node.CreateAsync(Handle, Values.Url(1, "https://a"));

        var outcome = await _node.CreateAsync("88.709.911/abc-0001", Values.Url(1, "https://other"));

        Assert.Equal(HandleResponseCode.HandleAlreadyExists, outcome.Code);
        Assert.Equal("https://a", Values.DataText(Stored().Values[0]));
    }

    [Fact]
    public async Task A_retried_identical_create_succeeds_without_writing()
    {
        var first = await _node.CreateAsync(Handle, Values.Url(1, "https://a"), Values.HsAdmin());
        _node.Time.Advance(TimeSpan.FromMinutes(5));

        var retry = await _node.CreateAsync(Handle, Values.HsAdmin(), Values.Url(1, "https://a"));

        Assert.True(retry.IsSuccess);
        Assert.False(retry.Value.Created);
        Assert.Same(first.Value!.Record, retry.Value.Record);
        Assert.Equal(1, _node.Store.WriteCalls);
    }

    [Fact]
    public async Task An_overwrite_replaces_the_values()
    {
        var first = await _node.CreateAsync(Handle, Values.Url(1, "https://a"), Values.Url(2, "https://b"));

        var outcome = await Registrar.CreateAsync(TestCallers.Administrator, new CreateRequest(Handle, [Values.Url(3, "https://c")], Overwrite: true), Ct);

        Assert.True(outcome.IsSuccess);
        Assert.False(outcome.Value.Created);
        Assert.Equal([3], Stored().Values.Select(v => v.Index));
        Assert.True(Stored().Version > first.Value!.Record!.Version);
    }

    [Fact]
    public async Task Adding_at_an_existing_index_is_value_already_exists()
    {
        await _node.CreateAsync(Handle, Values.Url(1, "https://a"));

        var clash = await Registrar.AddValuesAsync(TestCallers.Administrator, Handle, [Values.Text(1, "EMAIL", "a@b")], Ct);
        var added = await Registrar.AddValuesAsync(TestCallers.Administrator, Handle, [Values.Text(2, "EMAIL", "a@b")], Ct);

        Assert.Equal(HandleResponseCode.ValueAlreadyExists, clash.Code);
        Assert.True(added.IsSuccess);
        Assert.False(added.Value.Created);
        Assert.Equal([1, 2], Stored().Values.Select(v => v.Index));
    }

    [Fact]
    public async Task Modifying_or_removing_a_missing_value_is_values_not_found()
    {
        await _node.CreateAsync(Handle, Values.Url(1, "https://a"));

        var modify = await Registrar.ModifyValuesAsync(TestCallers.Administrator, Handle, [Values.Url(2, "https://b")], Ct);
        var remove = await Registrar.RemoveValuesAsync(TestCallers.Administrator, Handle, [2], Ct);

        Assert.Equal(HandleResponseCode.ValuesNotFound, modify.Code);
        Assert.Equal(HandleResponseCode.ValuesNotFound, remove.Code);
        Assert.Equal(1, _node.Store.WriteCalls);
    }

    [Fact]
    public async Task Value_writes_on_a_missing_handle_are_handle_not_found()
    {
        Assert.Equal(HandleResponseCode.HandleNotFound, (await Registrar.AddValuesAsync(TestCallers.Administrator, Handle, [Values.Url(1, "https://a")], Ct)).Code);
        Assert.Equal(HandleResponseCode.HandleNotFound, (await Registrar.ModifyValuesAsync(TestCallers.Administrator, Handle, [Values.Url(1, "https://a")], Ct)).Code);
        Assert.Equal(HandleResponseCode.HandleNotFound, (await Registrar.RemoveValuesAsync(TestCallers.Administrator, Handle, [1], Ct)).Code);
        Assert.Equal(HandleResponseCode.HandleNotFound, (await Registrar.DeleteAsync(TestCallers.Administrator, Handle, Ct)).Code);
        Assert.Equal(0, _node.Store.WriteCalls);
    }

    [Fact]
    public async Task Removing_a_value_and_deleting_the_handle()
    {
        await _node.CreateAsync(Handle, Values.Url(1, "https://a"), Values.Url(2, "https://b"));

        var remove = await Registrar.RemoveValuesAsync(TestCallers.Administrator, Handle, [1], Ct);
        Assert.True(remove.IsSuccess);
        Assert.Equal([2], Stored().Values.Select(v => v.Index));

        var delete = await Registrar.DeleteAsync(TestCallers.Administrator, Handle, Ct);
        Assert.True(delete.IsSuccess);
        Assert.Null(delete.Value.Record);
        Assert.Null(_node.Store.Peek(Handle));
    }

    [Fact]
    public async Task Empty_value_writes_are_refused()
    {
        await _node.CreateAsync(Handle, Values.Url(1, "https://a"));

        Assert.Equal(HandleResponseCode.InvalidValue, (await Registrar.RemoveValuesAsync(TestCallers.Administrator, Handle, [], Ct)).Code);
        Assert.Equal(HandleResponseCode.InvalidValue, (await Registrar.AddValuesAsync(TestCallers.Administrator, Handle, [], Ct)).Code);
        Assert.Equal(HandleResponseCode.InvalidValue, (await Registrar.UpdateAsync(TestCallers.Administrator, new UpdateRequest(Handle, [], []), Ct)).Code);
    }

    [Fact]
    public async Task An_update_sets_and_removes_in_one_write()
    {
        await _node.CreateAsync(Handle, Values.Url(1, "https://a"), Values.Url(2, "https://b"));

        var outcome = await Registrar.UpdateAsync(TestCallers.Administrator, new UpdateRequest(Handle, [Values.Url(1, "https://a2"), Values.Url(3, "https://c")], [2]), Ct);

        Assert.True(outcome.IsSuccess);
        Assert.Equal(["https://a2", "https://c"], Stored().Values.Select(Values.DataText));
        Assert.Equal(HandleResponseCode.ValuesNotFound, (await Registrar.UpdateAsync(TestCallers.Administrator, new UpdateRequest(Handle, [], [9]), Ct)).Code);
    }

    [Fact]
    public async Task A_receipt_says_created_only_for_the_write_that_created_the_handle()
    {
        var created = await _node.CreateAsync(Handle, Values.Url(1, "https://a"));
        var modified = await Registrar.UpdateAsync(TestCallers.Administrator, new UpdateRequest(Handle, [Values.Url(1, "https://a2")], []), Ct);
        var added = await Registrar.UpdateAsync(TestCallers.Administrator, new UpdateRequest(Handle, [Values.Url(2, "https://b")], []), Ct);
        var addedValue = await Registrar.AddValuesAsync(TestCallers.Administrator, Handle, [Values.Url(3, "https://c")], Ct);
        var overwritten = await Registrar.CreateAsync(TestCallers.Administrator, new CreateRequest(Handle, [Values.Url(4, "https://d")], Overwrite: true), Ct);

        Assert.True(created.Value!.Created);
        Assert.All([modified, added, addedValue, overwritten], receipt => Assert.False(receipt.Value!.Created));
    }

    [Fact]
    public async Task New_and_changed_values_get_the_time_of_the_write_and_untouched_values_keep_theirs()
    {
        var created = _node.NowSeconds;
        await _node.CreateAsync(Handle, Values.Url(1, "https://a"), Values.Url(2, "https://b"), Values.Url(3, "https://c"));
        _node.Time.Advance(TimeSpan.FromHours(1));
        var modified = _node.NowSeconds;

        // Value 3 is sent again unchanged; only value 2 changes.
        var outcome = await Registrar.ModifyValuesAsync(TestCallers.Administrator, Handle, [Values.Url(2, "https://b2"), Values.Url(3, "https://c")], Ct);
        _node.Time.Advance(TimeSpan.FromHours(1));
        await Registrar.AddValuesAsync(TestCallers.Administrator, Handle, [Values.Url(4, "https://d")], Ct);

        Assert.True(outcome.IsSuccess);
        Assert.Equal(
            [(1, created), (2, modified), (3, created), (4, modified + 3600)],
            Stored().Values.Select(v => (v.Index, v.Timestamp)));
    }

    [Fact]
    public async Task A_client_supplied_timestamp_is_replaced_by_the_node()
    {
        await _node.CreateAsync(Handle, Values.Url(1, "https://a") with { Timestamp = 12345 });

        Assert.Equal(_node.NowSeconds, Stored().Values[0].Timestamp);
    }

    [Fact]
    public async Task A_batch_answers_each_item_in_order()
    {
        await _node.CreateAsync("88.709.911/EXISTS", Values.Url(1, "https://old"));

        var outcomes = await Registrar.CreateBatchAsync(TestCallers.Administrator, 
        [
            new CreateRequest("88.709.911/NEW", [Values.Url(1, "https://new")]),
            new CreateRequest("88.709.911/INVALID", [Values.Text(1, "HAS SPACE", "x")]),
            new CreateRequest("88.709.911/EXISTS", [Values.Url(1, "https://other")]),
        ], Ct);

        Assert.Equal(
            [HandleResponseCode.Success, HandleResponseCode.InvalidValue, HandleResponseCode.HandleAlreadyExists],
            outcomes.Select(o => o.Code));
        Assert.True(outcomes[0].Value!.Created);
        Assert.NotNull(_node.Store.Peek("88.709.911/NEW"));
        Assert.Null(_node.Store.Peek("88.709.911/INVALID"));
        Assert.Equal("https://old", Values.DataText(Stored("88.709.911/EXISTS").Values[0]));
    }

    [Fact]
    public async Task Batch_deletes_and_updates_answer_each_item_in_order()
    {
        await _node.CreateAsync("88.1/A", Values.Url(1, "https://a"));

        var deletes = await Registrar.DeleteBatchAsync(TestCallers.Administrator, ["88.1/A", "88.1/MISSING", "bad"], Ct);
        var updates = await Registrar.UpdateBatchAsync(TestCallers.Administrator, [new UpdateRequest("88.1/A", [Values.Url(1, "https://x")], [])], Ct);

        Assert.Equal([HandleResponseCode.Success, HandleResponseCode.HandleNotFound, HandleResponseCode.InvalidHandle], deletes.Select(o => o.Code));
        Assert.Equal(HandleResponseCode.HandleNotFound, Assert.Single(updates).Code);
    }

    [Fact]
    public void Batches_above_the_bound_are_a_protocol_error()
    {
        Assert.Null(Registrar.CheckBatchSize(2000));
        Assert.Null(Registrar.CheckBatchSize(0));

        var refusal = Registrar.CheckBatchSize(2001);

        Assert.NotNull(refusal);
        Assert.Equal(HandleResponseCode.ProtocolError, refusal.Value.Code);
        Assert.Contains("2000", refusal.Value.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_write_that_loses_a_race_is_retried_against_the_newer_record()
    {
        await _node.CreateAsync(Handle, Values.Url(1, "https://a"));
        var interfered = false;
        _node.Store.BeforeEachWrite = write =>
        {
            if (!interfered)
            {
                // Another writer adds value 3 between this writer's read and its write.
                interfered = true;
                var current = _node.Store.Peek(write.Key)!;
                _node.Store.Put(write.Key, new HandleRecord(current.Handle, [.. current.Values, Values.Url(3, "https://c")], current.Version + 1));
            }
        };

        var outcome = await Registrar.AddValuesAsync(TestCallers.Administrator, Handle, [Values.Url(2, "https://b")], Ct);

        Assert.True(outcome.IsSuccess);
        Assert.Equal([1, 2, 3], Stored().Values.Select(v => v.Index));
        Assert.Equal(1 + 2, _node.Store.WriteCalls); // the create, then the lost write and its retry
    }

    [Fact]
    public async Task A_write_that_keeps_losing_gives_up_with_server_too_busy()
    {
        using var node = new Node(registry: new RegistryOptions { MaxConflictRetries = 1 });
        await node.CreateAsync(Handle, Values.Url(1, "https://a"));
        node.Store.BeforeEachWrite = write =>
        {
            var current = node.Store.Peek(write.Key)!;
            node.Store.Put(write.Key, new HandleRecord(current.Handle, current.Values, current.Version + 1));
        };

        var outcome = await node.Registrar.AddValuesAsync(TestCallers.Administrator, Handle, [Values.Url(2, "https://b")], Ct);

        Assert.Equal(HandleResponseCode.ServerTooBusy, outcome.Code);
        Assert.Equal(1 + 2, node.Store.WriteCalls); // the create, then the first try and the one retry allowed
    }

    [Fact]
    public async Task A_merge_that_grows_too_large_is_refused()
    {
        using var node = new Node(limits: new RecordLimits { MaxValuesPerRecord = 2 });
        await node.CreateAsync(Handle, Values.Url(1, "https://a"), Values.Url(2, "https://b"));

        var outcome = await node.Registrar.AddValuesAsync(TestCallers.Administrator, Handle, [Values.Url(3, "https://c")], Ct);

        Assert.Equal(HandleResponseCode.InvalidValue, outcome.Code);
        Assert.Equal(2, node.Store.Peek(Handle)!.Values.Count);
    }
}
