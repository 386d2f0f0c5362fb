using IdResolution.Core.Storage;

namespace IdResolution.StoreContract;

/// <summary>Reading many keys at once: one answer per key asked, in order, duplicates and absences included.</summary>
public abstract partial class HandleStoreContract
{
    [Fact]
    public async Task MultiGet_answers_each_key_in_order_with_absent_and_repeated_keys()
    {
        var store = await OpenAsync();
        var first = Record(Prefix + "/MANY-1", 10, Text(1, "one"));
        var second = Record(Prefix + "/MANY-2", 11, Text(1, "two"), Text(2, "more"));
        await store.WriteAsync([StoreWrite.Create(Key(first.Handle), first), StoreWrite.Create(Key(second.Handle), second)], Ct);

        var found = await store.GetManyAsync(
            [Key(second.Handle), Key(Prefix + "/MANY-ABSENT"), Key(first.Handle), Key(second.Handle), Key(Prefix + "/many-1")], Ct);

        Assert.Equal(5, found.Count);
        AssertSameRecord(second, found[0]);
        Assert.Null(found[1]);
        AssertSameRecord(first, found[2]);
        AssertSameRecord(second, found[3]);
        AssertSameRecord(first, found[4]);
    }

    [Fact]
    public async Task MultiGet_of_no_keys_is_empty_and_of_a_large_batch_matches_single_reads()
    {
        var store = await OpenAsync();
        Assert.Empty(await store.GetManyAsync([], Ct));

        var writes = new List<StoreWrite>();
        for (var i = 0; i < 300; i += 2)
        {
            var handle = $"{Prefix}/BULK-{i:D4}";
            writes.Add(StoreWrite.Create(Key(handle), Record(handle, 100 + i, Marked(1), Text(2, handle))));
        }

        await store.WriteAsync(writes, Ct);
        var keys = Enumerable.Range(0, 300).Select(i => Key($"{Prefix}/BULK-{i:D4}")).ToArray();

        var found = await store.GetManyAsync(keys, Ct);

        Assert.Equal(keys.Length, found.Count);
        for (var i = 0; i < keys.Length; i++)
        {
            var single = await store.GetAsync(keys[i], Ct);
            if (i % 2 == 1)
            {
                Assert.Null(single);
                Assert.Null(found[i]);
            }
            else
            {
                Assert.NotNull(single);
                AssertSameRecord(single, found[i]);
            }
        }
    }
}
