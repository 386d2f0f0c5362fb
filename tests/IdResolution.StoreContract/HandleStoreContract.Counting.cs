using IdResolution.Core.Storage;

namespace IdResolution.StoreContract;

/// <summary>The number of handles under a prefix: always the number a full listing shows, across writes, races and reopening.</summary>
public abstract partial class HandleStoreContract
{
    [Fact]
    public async Task Count_of_a_prefix_without_handles_is_zero()
    {
        var store = await OpenAsync();
        await WriteOneAsync(store, StoreWrite.Create(Key("88.709.9111/x"), Record("88.709.9111/x", 10, Text(1, "x"))));

        Assert.Equal(0, await store.CountAsync(Prefix, Ct));
        Assert.Equal(0, await store.CountAsync("88.709.91", Ct));
    }

    [Fact]
    public async Task Count_follows_creates_and_deletes_only_and_never_a_neighbouring_prefix()
    {
        var store = await OpenAsync();
        var handles = Enumerable.Range(0, 25).Select(i => $"{Prefix}/count-{i:D2}").ToArray();
        var created = await store.WriteAsync([.. handles.Concat(Neighbours).Select((h, i) => StoreWrite.Create(Key(h), Record(h, 10 + i, Text(1, h))))], Ct);
        Assert.All(created, r => Assert.Equal(StoreWriteStatus.Applied, r.Status));
        Assert.Equal(25, await store.CountAsync(Prefix, Ct));

        // Neither a replace, a losing create, a delete with a stale version nor a delete of nothing moves it.
        await WriteOneAsync(store, StoreWrite.Replace(Key(handles[0]), 10, Record(handles[0], 100, Text(1, "replaced"))));
        Assert.Equal(StoreWriteStatus.Conflict, (await WriteOneAsync(store, StoreWrite.Create(Key(handles[1]), Record(handles[1], 101, Text(1, "again"))))).Status);
        Assert.Equal(StoreWriteStatus.Conflict, (await WriteOneAsync(store, StoreWrite.Delete(Key(handles[2]), 999))).Status);
        Assert.Equal(StoreWriteStatus.Conflict, (await WriteOneAsync(store, StoreWrite.Delete(Key(Prefix + "/never"), 5))).Status);
        Assert.Equal(25, await store.CountAsync(Prefix, Ct));

        foreach (var i in new[] { 3, 4, 5 })
        {
            await WriteOneAsync(store, StoreWrite.Delete(Key(handles[i]), 10 + i));
        }

        Assert.Equal(22, await store.CountAsync(Prefix, Ct));
        Assert.Equal(22, (await store.ListAsync(Prefix, null, 1000, Ct)).Handles.Count);
        Assert.Equal(1, await store.CountAsync("88.709.9111", Ct));
        Assert.Equal(1, await store.CountAsync("88.709.911.1", Ct));
        Assert.Equal(1, await store.CountAsync("0.NA", Ct));
    }

    [Fact]
    public async Task Count_of_one_batch_that_creates_deletes_and_recreates_a_key_counts_what_remains()
    {
        var store = await OpenAsync();
        const string first = Prefix + "/batch-a";
        const string second = Prefix + "/batch-b";

        var results = await store.WriteAsync(
        [
            StoreWrite.Create(Key(first), Record(first, 10, Text(1, "a"))),
            StoreWrite.Delete(Key(first), 10),
            StoreWrite.Create(Key(second), Record(second, 11, Text(1, "b"))),
            StoreWrite.Delete(Key(second), 11),
            StoreWrite.Create(Key(second), Record(second, 12, Text(1, "b again"))),
        ], Ct);

        Assert.All(results, r => Assert.Equal(StoreWriteStatus.Applied, r.Status));
        Assert.Equal(1, await store.CountAsync(Prefix, Ct));
    }

    [Fact]
    public async Task Count_stays_exact_when_many_writers_race_to_create_and_delete_the_same_handles()
    {
        var store = await OpenAsync();
        var handles = Enumerable.Range(0, 40).Select(i => $"{Prefix}/race-{i:D2}").ToArray();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long version = 1000;

        // Every writer tries to create every handle, and deletes the ones it created with an even number.
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            await gate.Task;
            foreach (var chunk in handles.Skip(w % 5).Concat(handles.Take(w % 5)).Chunk(8))
            {
                var records = chunk.Select(h => Record(h, Interlocked.Increment(ref version), Text(1, h))).ToArray();
                var results = await store.WriteAsync([.. records.Select(r => StoreWrite.Create(Key(r.Handle), r))], Ct);
                for (var i = 0; i < records.Length; i++)
                {
                    if (results[i].Status == StoreWriteStatus.Applied && int.Parse(records[i].Handle[^2..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 0)
                    {
                        await WriteOneAsync(store, StoreWrite.Delete(Key(records[i].Handle), records[i].Version));
                    }
                }
            }
        })).ToArray();
        gate.SetResult();
        await Task.WhenAll(writers);

        var listed = (await store.ListAsync(Prefix, null, 1000, Ct)).Handles.Count;
        Assert.Equal(20, listed);
        Assert.Equal(listed, await store.CountAsync(Prefix, Ct));
    }

    [Fact]
    public async Task Count_is_the_same_after_reopening()
    {
        var store = await OpenAsync();
        var handles = Enumerable.Range(0, 12).Select(i => $"{Prefix}/kept-{i:D2}").ToArray();
        await store.WriteAsync([.. handles.Select((h, i) => StoreWrite.Create(Key(h), Record(h, 10 + i, Text(1, h))))], Ct);
        await WriteOneAsync(store, StoreWrite.Delete(Key(handles[0]), 10));
        await store.DisposeAsync();

        var reopened = await OpenAsync();

        Assert.Equal(11, await reopened.CountAsync(Prefix, Ct));
    }
}
