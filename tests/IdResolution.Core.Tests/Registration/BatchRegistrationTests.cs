using IdResolution.Core.Registration;
using IdResolution.Core.Tests.Support;

namespace IdResolution.Core.Tests.Registration;

/// <summary>Write batches read the store once for all their items, and still answer each item as it would be answered alone, in order.</summary>
public sealed class BatchRegistrationTests : IDisposable
{
    private readonly Node _node = new();

    public void Dispose() => _node.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Registrar Registrar => _node.Registrar;

    [Fact]
    public async Task A_create_batch_reads_the_store_once_and_answers_duplicates_and_failures_in_the_middle_in_order()
    {
        await _node.CreateAsync("88.709.911/EXISTS", Values.Url(1, "https://old"));
        var readsBefore = _node.Store.Reads;
        var multiGetsBefore = _node.Store.MultiGetCalls;

        var outcomes = await Registrar.CreateBatchAsync(TestCallers.Administrator,
        [
            new CreateRequest("88.709.911/NEW-1", [Values.Url(1, "https://one")]),
            new CreateRequest("88.709.911/INVALID", [Values.Text(1, "HAS SPACE", "x")]),
            new CreateRequest("88.709.911/new-1", [Values.Url(1, "https://one")]),
            new CreateRequest("88.709.911/NEW-2", [Values.Url(1, "https://two")]),
            new CreateRequest("88.709.911/NEW-1", [Values.Url(1, "https://other")]),
            new CreateRequest("bad handle", [Values.Url(1, "https://bad")]),
            new CreateRequest("88.709.911/EXISTS", [Values.Url(1, "https://other")]),
        ], Ct);

        Assert.Equal(
            [HandleResponseCode.Success, HandleResponseCode.InvalidValue, HandleResponseCode.Success, HandleResponseCode.Success,
                HandleResponseCode.HandleAlreadyExists, HandleResponseCode.InvalidHandle, HandleResponseCode.HandleAlreadyExists],
            outcomes.Select(o => o.Code));
        Assert.True(outcomes[0].Value!.Created);
        Assert.False(outcomes[2].Value!.Created);
        Assert.True(outcomes[3].Value!.Created);
        Assert.Equal("https://one", Values.DataText(_node.Store.Peek("88.709.911/NEW-1")!.Values.Single()));
        Assert.Equal("https://two", Values.DataText(_node.Store.Peek("88.709.911/NEW-2")!.Values.Single()));
        Assert.Equal("https://old", Values.DataText(_node.Store.Peek("88.709.911/EXISTS")!.Values.Single()));
        Assert.Null(_node.Store.Peek("88.709.911/INVALID"));
        Assert.Equal(1, _node.Store.MultiGetCalls - multiGetsBefore);
        Assert.Equal(5, _node.Store.Reads - readsBefore);
    }

    [Fact]
    public async Task Update_and_delete_batches_with_one_handle_twice_apply_both_in_order()
    {
        await _node.CreateAsync("88.709.911/A", Values.Url(1, "https://a"));
        await _node.CreateAsync("88.709.911/B", Values.Url(1, "https://b"));

        var updates = await Registrar.UpdateBatchAsync(TestCallers.Administrator,
        [
            new UpdateRequest("88.709.911/A", [Values.Text(2, "NOTE", "first")], []),
            new UpdateRequest("88.709.911/MISSING", [Values.Text(2, "NOTE", "x")], []),
            new UpdateRequest("88.709.911/A", [Values.Text(3, "NOTE", "second")], []),
        ], Ct);
        var deletes = await Registrar.DeleteBatchAsync(TestCallers.Administrator, ["88.709.911/B", "88.709.911/A", "88.709.911/B"], Ct);

        Assert.Equal([HandleResponseCode.Success, HandleResponseCode.HandleNotFound, HandleResponseCode.Success], updates.Select(o => o.Code));
        Assert.Equal([1, 2, 3], updates[2].Value!.Record!.Values.Select(v => v.Index));
        Assert.Equal([HandleResponseCode.Success, HandleResponseCode.Success, HandleResponseCode.HandleNotFound], deletes.Select(o => o.Code));
        Assert.Null(_node.Store.Peek("88.709.911/A"));
        Assert.Null(_node.Store.Peek("88.709.911/B"));
    }
}
