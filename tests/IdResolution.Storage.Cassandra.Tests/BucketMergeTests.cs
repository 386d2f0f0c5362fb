namespace IdResolution.Storage.Cassandra.Tests;

public sealed class BucketMergeTests
{
    private const string Prefix = "88.709.911";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pages_of_seven_over_eight_buckets_list_every_key_once_in_key_order()
    {
        var listing = new InMemoryListing(8);
        var keys = Enumerable.Range(0, 500).Select(i => $"{Prefix}/ITEM-{i * 7919 % 500:D4}").ToList();
        keys.ForEach(k => listing.Create(k));

        var listed = new List<string>();
        var pages = 0;
        string? after = null;
        do
        {
            var page = await ListingPager.ListAsync(listing, listing, Prefix, after, 7, listing.Buckets, 4, Ct);
            pages++;
            Assert.InRange(page.Handles.Count, 1, 7);
            if (page.NextAfterKey is not null)
            {
                Assert.Equal(page.Handles[^1].Key, page.NextAfterKey);
            }

            listed.AddRange(page.Handles.Select(h => h.Key));
            after = page.NextAfterKey;
        }
        while (after is not null);

        Assert.Equal(8, listing.BucketsHolding(Prefix));
        Assert.Equal(keys.Order(StringComparer.Ordinal), listed);
        Assert.Equal((500 + 6) / 7, pages);
    }

    [Fact]
    public async Task A_merge_reads_each_bucket_in_small_pages_not_the_whole_listing()
    {
        var listing = new InMemoryListing(8);
        for (var i = 0; i < 800; i++)
        {
            listing.Create($"{Prefix}/K{i:D4}");
        }

        var merge = new BucketMerge(listing, Prefix, 8, null, BucketMerge.FetchSizeFor(20, 8));
        var taken = new List<string>();
        for (var i = 0; i < 21; i++)
        {
            taken.Add((await merge.NextAsync(Ct))!);
        }

        // A fair share is 3 per bucket; the floor of 8 makes one read per bucket enough for 21 keys.
        Assert.Equal(8, BucketMerge.FetchSizeFor(20, 8));
        Assert.Equal(8, merge.Reads);
        Assert.Equal(64, merge.RowsRead);
        Assert.Equal(Enumerable.Range(0, 21).Select(i => $"{Prefix}/K{i:D4}"), taken);
    }

    [Fact]
    public async Task A_bucket_is_read_again_only_when_another_key_is_wanted()
    {
        var reader = new ScriptedReader(new Dictionary<int, string[]>
        {
            [0] = ["a/1", "a/3"],
            [1] = ["a/2", "a/4", "a/5"],
        });
        var merge = new BucketMerge(reader, "a", 2, null, fetchSize: 2);

        var first = new[] { await merge.NextAsync(Ct), await merge.NextAsync(Ct), await merge.NextAsync(Ct) };
        var readsAfterThree = merge.Reads;
        var rest = new[] { await merge.NextAsync(Ct), await merge.NextAsync(Ct), await merge.NextAsync(Ct) };

        Assert.Equal(["a/1", "a/2", "a/3"], first);

        // Bucket 0 (a/1, a/3) ended on a full page, so a third read of it happens with the fourth key.
        Assert.Equal(2, readsAfterThree);
        Assert.Equal(["a/4", "a/5", null], rest);
        Assert.Equal(["0:", "1:", "0:a/3", "1:a/4"], reader.Calls);
    }

    [Fact]
    public async Task Listing_rows_without_a_record_are_skipped_and_the_page_is_still_full()
    {
        var listing = new InMemoryListing(4);
        for (var i = 0; i < 30; i++)
        {
            var key = $"{Prefix}/K{i:D2}";
            if (i % 3 == 0)
            {
                listing.AddListingRow(key);
            }
            else
            {
                listing.Create(key);
            }
        }

        var first = await ListingPager.ListAsync(listing, listing, Prefix, null, 10, 4, 3, Ct);
        var second = await ListingPager.ListAsync(listing, listing, Prefix, first.NextAfterKey, 10, 4, 3, Ct);

        string[] expected = [.. Enumerable.Range(0, 30).Where(i => i % 3 != 0).Select(i => $"{Prefix}/K{i:D2}")];
        Assert.Equal(expected[..10], first.Handles.Select(h => h.Key));
        Assert.Equal(expected[9], first.NextAfterKey);
        Assert.Equal(expected[10..], second.Handles.Select(h => h.Key));
        Assert.Null(second.NextAfterKey);
    }

    [Fact]
    public async Task A_deleted_last_key_ends_the_listing_without_an_extra_empty_page()
    {
        var listing = new InMemoryListing(4);
        string[] keys = [.. Enumerable.Range(0, 6).Select(i => $"{Prefix}/K{i}")];
        foreach (var key in keys)
        {
            listing.Create(key);
        }

        listing.DeleteRecord(keys[^1]);
        var page = await ListingPager.ListAsync(listing, listing, Prefix, null, 5, 4, 8, Ct);

        Assert.Equal(keys[..5], page.Handles.Select(h => h.Key));
        Assert.Null(page.NextAfterKey);
    }

    [Fact]
    public async Task Listing_after_a_key_starts_strictly_after_it_even_when_it_is_gone()
    {
        var listing = new InMemoryListing(8);
        string[] keys = [.. Enumerable.Range(0, 20).Select(i => $"{Prefix}/K{i:D2}")];
        foreach (var key in keys.Where((_, i) => i != 7))
        {
            listing.Create(key);
        }

        var page = await ListingPager.ListAsync(listing, listing, Prefix, keys[7], 5, 8, 8, Ct);

        Assert.Equal(keys[8..13], page.Handles.Select(h => h.Key));
        Assert.Equal(keys[12], page.NextAfterKey);
    }

    [Fact]
    public async Task Listed_handles_carry_the_spelling_of_the_record()
    {
        var listing = new InMemoryListing(8);
        listing.Create($"{Prefix}/MIXED", $"{Prefix}/Mixed");

        var page = await ListingPager.ListAsync(listing, listing, Prefix, null, 10, 8, 8, Ct);

        Assert.Equal(new Core.Storage.ListedHandle($"{Prefix}/MIXED", $"{Prefix}/Mixed"), Assert.Single(page.Handles));
    }

    [Fact]
    public async Task A_limit_of_int_MaxValue_lists_everything_in_one_page()
    {
        var listing = new InMemoryListing(8);
        string[] keys = [.. Enumerable.Range(0, 50).Select(i => $"{Prefix}/K{i:D2}")];
        foreach (var key in keys)
        {
            listing.Create(key);
        }

        var page = await ListingPager.ListAsync(listing, listing, Prefix, null, int.MaxValue, 8, 8, Ct);

        Assert.Equal(keys, page.Handles.Select(h => h.Key));
        Assert.Null(page.NextAfterKey);
    }

    [Fact]
    public async Task An_empty_prefix_is_an_empty_last_page()
    {
        var listing = new InMemoryListing(8);
        listing.Create("88.709.912/K1");

        var page = await ListingPager.ListAsync(listing, listing, Prefix, null, 10, 8, 8, Ct);

        Assert.Empty(page.Handles);
        Assert.Null(page.NextAfterKey);
    }

    [Fact]
    public async Task The_merge_follows_UTF8_order_where_UTF16_order_differs()
    {
        var listing = new InMemoryListing(8);
        string[] keys = [$"{Prefix}/\U0001F600", $"{Prefix}/\uFFFD", $"{Prefix}/\uE000", $"{Prefix}/z"];
        foreach (var key in keys)
        {
            listing.Create(key);
        }

        var page = await ListingPager.ListAsync(listing, listing, Prefix, null, 10, 8, 8, Ct);

        Assert.Equal([keys[3], keys[2], keys[1], keys[0]], page.Handles.Select(h => h.Key));
    }

    [Fact]
    public async Task A_key_found_in_two_buckets_is_listed_once()
    {
        var reader = new ScriptedReader(new Dictionary<int, string[]>
        {
            [0] = ["a/1", "a/2"],
            [1] = ["a/2", "a/3"],
        });
        var merge = new BucketMerge(reader, "a", 2, null, fetchSize: 10);

        var keys = new List<string?>();
        while (await merge.NextAsync(Ct) is { } key)
        {
            keys.Add(key);
        }

        Assert.Equal(["a/1", "a/2", "a/3"], keys);
    }

    [Fact]
    public async Task A_bucket_answering_out_of_key_order_is_refused()
    {
        var reader = new ScriptedReader(new Dictionary<int, string[]> { [0] = ["a/2", "a/1"] });
        var merge = new BucketMerge(reader, "a", 1, null, fetchSize: 10);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await merge.NextAsync(Ct));

        Assert.Contains("out of key order", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bucket_answering_the_cursor_again_is_refused_rather_than_looping()
    {
        var reader = new ScriptedReader(new Dictionary<int, string[]> { [0] = ["a/1", "a/2"] }, ignoreAfter: true);
        var merge = new BucketMerge(reader, "a", 1, null, fetchSize: 2);
        Assert.Equal("a/1", await merge.NextAsync(Ct));
        Assert.Equal("a/2", await merge.NextAsync(Ct));

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await merge.NextAsync(Ct));
    }

    [Theory]
    [InlineData(100, 64, 8)]
    [InlineData(1000, 64, 32)]
    [InlineData(5, 64, 5)]
    [InlineData(100, 1, 100)]
    [InlineData(int.MaxValue, 1, int.MaxValue)]
    public void The_fetch_size_is_twice_a_fair_share_with_a_floor_and_never_above_the_page(int limit, int buckets, int expected) =>
        Assert.Equal(expected, BucketMerge.FetchSizeFor(limit, buckets));

    /// <summary>Fixed rows per bucket; records each call as "bucket:after" (it answers synchronously, so in call order).</summary>
    private sealed class ScriptedReader(Dictionary<int, string[]> rows, bool ignoreAfter = false) : IListingBucketReader
    {
        public List<string> Calls { get; } = [];

        public ValueTask<IReadOnlyList<string>> ReadBucketAsync(string prefix, int bucket, string afterKey, int limit, CancellationToken cancellationToken)
        {
            lock (Calls)
            {
                Calls.Add($"{bucket}:{afterKey}");
            }

            var keys = rows.GetValueOrDefault(bucket, []);
            IReadOnlyList<string> page = ignoreAfter
                ? [.. keys.Take(limit)]
                : [.. keys.Where(k => string.CompareOrdinal(k, afterKey) > 0).Take(limit)];
            return ValueTask.FromResult(page);
        }
    }
}
