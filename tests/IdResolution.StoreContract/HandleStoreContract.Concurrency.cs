using IdResolution.Core.Records;
using IdResolution.Core.Storage;

namespace IdResolution.StoreContract;

/// <summary>Many writers on one handle: no lost update, and readers only ever see whole records.</summary>
public abstract partial class HandleStoreContract
{
    private const int Writers = 16;

    [Fact]
    public async Task Port_concurrent_compare_and_set_writers_on_one_key_lose_no_update()
    {
        var store = await OpenAsync();
        const string handle = Prefix + "/CAS";
        var key = Key(handle);
        await WriteOneAsync(store, StoreWrite.Create(key, Record(handle, 1, Marked(1))));
        long version = 1;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var writers = Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            await gate.Task;
            var current = await store.GetAsync(key, Ct);
            for (var attempt = 0; attempt < 1000; attempt++)
            {
                Assert.NotNull(current);
                var next = new HandleRecord(handle, [.. current.Values, Marked(100 + w)], Interlocked.Increment(ref version));
                var result = await WriteOneAsync(store, StoreWrite.Replace(key, current.Version, next));
                if (result.Status == StoreWriteStatus.Applied)
                {
                    return;
                }

                // The conflict hands back what won, so the retry needs no read of its own.
                current = result.Current;
            }

            Assert.Fail($"writer {w} never got its write in");
        })));
        var readers = Task.WhenAll(
            ReadWhileAsync(writers, () => store.GetAsync(key, Ct), monotonic: true),
            ReadWhileAsync(writers, () => store.GetAsync(key, Ct), monotonic: true));
        gate.SetResult();

        await writers;
        await readers;

        var final = await store.GetAsync(key, Ct);
        AssertConsistent(final, 1);
        Assert.Equal(Enumerable.Range(100, Writers).Prepend(1), final!.Values.Select(v => v.Index).Order());
    }

    [Fact]
    public async Task Registrar_concurrent_value_adds_on_one_handle_lose_no_update_and_readers_never_see_a_torn_record()
    {
        var store = await OpenAsync();
        using var node = new RegistryNode(store);
        const string handle = Prefix + "/HOT";
        var key = Key(handle);
        await CreateAsync(node, handle, Marked(1));
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var adds = Enumerable.Range(0, Writers).Select(i => Task.Run(async () =>
        {
            await gate.Task;
            return await node.Registrar.AddValuesAsync(TestCallers.Administrator, handle, [Marked(100 + i)], Ct);
        })).ToArray();
        var writers = Task.WhenAll(adds);
        var readers = Task.WhenAll(
            ReadWhileAsync(writers, () => store.GetAsync(key, Ct), monotonic: true),
            ReadWhileAsync(writers, () => node.Source.GetAsync(key, Ct), monotonic: false));
        gate.SetResult();

        var outcomes = await writers;
        await readers;

        Assert.All(outcomes, o => Assert.True(o.IsSuccess, $"{o.Code}: {o.Message}"));
        var expected = Enumerable.Range(100, Writers).Prepend(1).ToArray();
        var stored = await store.GetAsync(key, Ct);
        AssertConsistent(stored, 1);
        Assert.Equal(expected, stored!.Values.Select(v => v.Index));
        Assert.Equal(expected.Select(MarkOf), await ResolveDataAsync(node, handle));
    }

    /// <summary>
    /// Reads until the writers are done (at least once) and checks every record read. Reads of the
    /// store itself must also never go back to fewer values, as the writers only add.
    /// </summary>
    private static Task<int> ReadWhileAsync(Task writers, Func<ValueTask<HandleRecord?>> read, bool monotonic) => Task.Run(async () =>
    {
        var reads = 0;
        var seen = 0;
        do
        {
            var record = await read();
            AssertConsistent(record, 1);
            if (monotonic)
            {
                Assert.True(record!.Values.Count >= seen, $"a read saw {record.Values.Count} values after one saw {seen}");
                seen = record.Values.Count;
            }

            reads++;
            await Task.Yield();
        }
        while (!writers.IsCompleted);

        return reads;
    });
}
