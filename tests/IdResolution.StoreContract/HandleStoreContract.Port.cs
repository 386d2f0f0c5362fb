using System.Text;
using IdResolution.Core.Records;
using IdResolution.Core.Storage;

namespace IdResolution.StoreContract;

/// <summary>The port itself: reads, conditional writes, batches, health and reopening.</summary>
public abstract partial class HandleStoreContract
{
    [Fact]
    public async Task Port_get_of_an_unknown_key_is_null()
    {
        var store = await OpenAsync();

        Assert.Null(await store.GetAsync(Key(Prefix + "/NOPE"), Ct));
    }

    [Fact]
    public async Task Port_create_then_get_returns_every_field_of_the_record()
    {
        var store = await OpenAsync();
        const string handle = Prefix + "/Round-Trip-Ü";
        var rich = new HandleValue
        {
            Index = 7,
            Type = "HS_SITE.PREFIX",
            Data = new byte[] { 0, 1, 2, 254, 255 },
            TtlType = TtlType.Absolute,
            Ttl = 4_000_000_000,
            Timestamp = 1_700_000_123,
            Permissions = ValuePermissions.AdminRead | ValuePermissions.AdminWrite,
            References = [new("88.709.911/OTHER", 3), new("0.NA/88.709.911", 200)],
        };
        var record = Record(handle, 41, Text(1, "https://example.org/ü"), rich, Text(100, "admin", WellKnownTypes.Admin));

        var result = await WriteOneAsync(store, StoreWrite.Create(Key(handle), record));

        Assert.Equal(StoreWriteStatus.Applied, result.Status);
        AssertSameRecord(record, await store.GetAsync(Key(handle), Ct));
    }

    [Fact]
    public async Task Port_create_of_an_existing_key_conflicts_and_returns_the_current_record()
    {
        var store = await OpenAsync();
        const string handle = Prefix + "/EXISTS";
        var first = Record(handle, 10, Text(1, "first"));
        await WriteOneAsync(store, StoreWrite.Create(Key(handle), first));

        var result = await WriteOneAsync(store, StoreWrite.Create(Key(handle), Record(handle, 11, Text(1, "second"))));

        Assert.Equal(StoreWriteStatus.Conflict, result.Status);
        AssertSameRecord(first, result.Current);
        AssertSameRecord(first, await store.GetAsync(Key(handle), Ct));
    }

    [Fact]
    public async Task Port_replace_with_the_version_read_applies()
    {
        var store = await OpenAsync();
        const string handle = Prefix + "/REPLACE";
        await WriteOneAsync(store, StoreWrite.Create(Key(handle), Record(handle, 10, Text(1, "first"))));
        var second = Record(handle, 20, Text(1, "second"), Text(2, "more"));

        var result = await WriteOneAsync(store, StoreWrite.Replace(Key(handle), 10, second));

        Assert.Equal(StoreWriteResult.Applied, result);
        AssertSameRecord(second, await store.GetAsync(Key(handle), Ct));
    }

    [Fact]
    public async Task Port_replace_or_delete_with_a_stale_version_conflicts_and_returns_the_current_record()
    {
        var store = await OpenAsync();
        const string handle = Prefix + "/STALE";
        await WriteOneAsync(store, StoreWrite.Create(Key(handle), Record(handle, 10, Text(1, "first"))));
        var current = Record(handle, 20, Text(1, "second"));
        await WriteOneAsync(store, StoreWrite.Replace(Key(handle), 10, current));

        var replace = await WriteOneAsync(store, StoreWrite.Replace(Key(handle), 10, Record(handle, 30, Text(1, "lost update"))));
        var delete = await WriteOneAsync(store, StoreWrite.Delete(Key(handle), 10));

        Assert.Equal(StoreWriteStatus.Conflict, replace.Status);
        AssertSameRecord(current, replace.Current);
        Assert.Equal(StoreWriteStatus.Conflict, delete.Status);
        AssertSameRecord(current, delete.Current);
        AssertSameRecord(current, await store.GetAsync(Key(handle), Ct));
    }

    [Fact]
    public async Task Port_replace_or_delete_of_a_missing_key_conflicts_with_no_current_record()
    {
        var store = await OpenAsync();
        const string handle = Prefix + "/MISSING";

        var replace = await WriteOneAsync(store, StoreWrite.Replace(Key(handle), 5, Record(handle, 6, Text(1, "x"))));
        var delete = await WriteOneAsync(store, StoreWrite.Delete(Key(handle), 5));

        Assert.Equal(StoreWriteResult.Conflict(null), replace);
        Assert.Equal(StoreWriteResult.Conflict(null), delete);
        Assert.Null(await store.GetAsync(Key(handle), Ct));
    }

    [Fact]
    public async Task Port_delete_with_the_version_read_removes_the_record_and_its_listing()
    {
        var store = await OpenAsync();
        const string handle = Prefix + "/DELETE-ME";
        await WriteOneAsync(store, StoreWrite.Create(Key(handle), Record(handle, 10, Text(1, "x"))));

        var result = await WriteOneAsync(store, StoreWrite.Delete(Key(handle), 10));

        Assert.Equal(StoreWriteResult.Applied, result);
        Assert.Null(await store.GetAsync(Key(handle), Ct));
        Assert.Empty((await store.ListAsync(Prefix, null, 10, Ct)).Handles);

        // Deleted means absent: the key can be created again.
        Assert.Equal(StoreWriteResult.Applied, await WriteOneAsync(store, StoreWrite.Create(Key(handle), Record(handle, 30, Text(1, "again")))));
    }

    [Fact]
    public async Task Port_batch_with_partial_failure_applies_the_rest_and_answers_in_order()
    {
        var store = await OpenAsync();
        string a = Prefix + "/A", b = Prefix + "/B", c = Prefix + "/C", d = Prefix + "/D";
        var existingB = Record(b, 10, Text(1, "b"));
        var existingC = Record(c, 10, Text(1, "c"));
        await store.WriteAsync([StoreWrite.Create(Key(b), existingB), StoreWrite.Create(Key(c), existingC)], Ct);
        var newA = Record(a, 20, Text(1, "a"));
        var newD = Record(d, 20, Text(1, "d"));

        var results = await store.WriteAsync(
        [
            StoreWrite.Create(Key(a), newA),
            StoreWrite.Create(Key(b), Record(b, 20, Text(1, "b2"))),
            StoreWrite.Replace(Key(c), 9, Record(c, 20, Text(1, "c2"))),
            StoreWrite.Create(Key(d), newD),
        ], Ct);

        Assert.Equal(4, results.Count);
        Assert.Equal(StoreWriteResult.Applied, results[0]);
        Assert.Equal(StoreWriteStatus.Conflict, results[1].Status);
        AssertSameRecord(existingB, results[1].Current);
        Assert.Equal(StoreWriteStatus.Conflict, results[2].Status);
        AssertSameRecord(existingC, results[2].Current);
        Assert.Equal(StoreWriteResult.Applied, results[3]);
        AssertSameRecord(newA, await store.GetAsync(Key(a), Ct));
        AssertSameRecord(existingB, await store.GetAsync(Key(b), Ct));
        AssertSameRecord(existingC, await store.GetAsync(Key(c), Ct));
        AssertSameRecord(newD, await store.GetAsync(Key(d), Ct));
    }

    [Fact]
    public async Task Port_writes_to_one_key_in_one_call_apply_in_order_and_each_sees_the_one_before()
    {
        var store = await OpenAsync();
        const string handle = Prefix + "/SEQUENCE";
        var key = Key(handle);
        var v1 = Record(handle, 10, Text(1, "one"));
        var v2 = Record(handle, 20, Text(1, "two"));
        var v3 = Record(handle, 30, Text(1, "three"));

        var results = await store.WriteAsync(
        [
            StoreWrite.Create(key, v1),
            StoreWrite.Create(key, Record(handle, 11, Text(1, "duplicate create"))),
            StoreWrite.Replace(key, 10, v2),
            StoreWrite.Replace(key, 10, Record(handle, 21, Text(1, "expected the old version"))),
            StoreWrite.Delete(key, 20),
            StoreWrite.Delete(key, 20),
            StoreWrite.Create(key, v3),
        ], Ct);

        Assert.Equal(StoreWriteResult.Applied, results[0]);
        Assert.Equal(StoreWriteStatus.Conflict, results[1].Status);
        AssertSameRecord(v1, results[1].Current);
        Assert.Equal(StoreWriteResult.Applied, results[2]);
        Assert.Equal(StoreWriteStatus.Conflict, results[3].Status);
        AssertSameRecord(v2, results[3].Current);
        Assert.Equal(StoreWriteResult.Applied, results[4]);
        Assert.Equal(StoreWriteResult.Conflict(null), results[5]);
        Assert.Equal(StoreWriteResult.Applied, results[6]);
        AssertSameRecord(v3, await store.GetAsync(key, Ct));
    }

    [Fact]
    public async Task Port_an_empty_batch_answers_with_no_results()
    {
        var store = await OpenAsync();

        Assert.Empty(await store.WriteAsync([], Ct));
    }

    [Fact]
    public async Task Port_health_check_passes_while_open_and_throws_once_disposed()
    {
        var store = await OpenAsync();
        await store.CheckHealthAsync(Ct);

        await store.DisposeAsync();

        await Assert.ThrowsAnyAsync<Exception>(async () => await store.CheckHealthAsync(Ct));
    }

    [Fact]
    public async Task Port_reopening_after_dispose_finds_every_record_and_listing_entry()
    {
        var store = await OpenAsync();
        var expected = new List<HandleRecord>();
        for (var i = 0; i < 30; i++)
        {
            var handle = $"{Prefix}/reopen-{i:D3}";
            var record = Record(handle, 100 + i, Text(1, $"https://example.org/{i}"), Text(2, new string('x', i * 37)));
            await WriteOneAsync(store, StoreWrite.Create(Key(handle), record));
            expected.Add(record);
        }

        var replaced = Record(expected[3].Handle, 500, Text(1, "replaced"));
        await WriteOneAsync(store, StoreWrite.Replace(Key(replaced.Handle), expected[3].Version, replaced));
        expected[3] = replaced;
        await WriteOneAsync(store, StoreWrite.Delete(Key(expected[7].Handle), expected[7].Version));
        var deleted = expected[7];
        expected.RemoveAt(7);
        await store.DisposeAsync();

        var reopened = await OpenAsync();

        foreach (var record in expected)
        {
            AssertSameRecord(record, await reopened.GetAsync(Key(record.Handle), Ct));
        }

        Assert.Null(await reopened.GetAsync(Key(deleted.Handle), Ct));
        var page = await reopened.ListAsync(Prefix, null, 100, Ct);
        Assert.Equal(expected.Select(r => r.Handle), page.Handles.Select(h => h.Handle));
        await reopened.CheckHealthAsync(Ct);
    }

    [Fact]
    public async Task Port_large_values_round_trip()
    {
        var store = await OpenAsync();
        const string handle = Prefix + "/LARGE";
        var big = new HandleValue { Index = 1, Type = "DATA", Data = Encoding.ASCII.GetBytes(new string('z', 32 * 1024)) };
        var record = Record(handle, 10, [.. Enumerable.Range(2, 7).Select(i => big with { Index = i }), big]);

        await WriteOneAsync(store, StoreWrite.Create(Key(handle), record));

        AssertSameRecord(record, await store.GetAsync(Key(handle), Ct));
    }
}
