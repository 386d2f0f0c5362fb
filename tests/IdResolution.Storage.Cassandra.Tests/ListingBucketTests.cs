namespace IdResolution.Storage.Cassandra.Tests;

public sealed class ListingBucketTests
{
    [Fact]
    public void The_bucket_is_XxHash3_with_seed_0_modulo_the_bucket_count()
    {
        // XXH3_64bits of no input is 0x2D06800538D394C2 (xxHash's own sanity vector).
        Assert.Equal((int)(0x2D06800538D394C2UL % 1024), ListingBucket.Of(string.Empty, 1024));
        Assert.Equal((int)(0x2D06800538D394C2UL % 64), ListingBucket.Of(string.Empty, 64));
    }

    // Pinned: a changed bucket function would hide every listed handle until the listing is rebuilt.
    [Theory]
    [InlineData("88.709.911/ITEM-0001", 27)]
    [InlineData("0.NA/88.709.911", 34)]
    [InlineData("20.500.12345/\u00C4\u00D6\u00DC-\U0001F600", 59)]
    public void Buckets_of_stored_keys_never_change_between_releases(string key, int bucket) =>
        Assert.Equal(bucket, ListingBucket.Of(key, 64));

    [Fact]
    public void Keys_spread_evenly_over_the_buckets()
    {
        var counts = new int[64];
        for (var i = 0; i < 64_000; i++)
        {
            counts[ListingBucket.Of($"88.709.911/item-{i}", 64)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 850, 1150));
    }

    [Fact]
    public void A_key_longer_than_the_stack_buffer_hashes_as_its_bytes()
    {
        var key = "88.709.911/" + new string('é', 400);
        var bytes = System.Text.Encoding.UTF8.GetBytes(key);

        Assert.True(bytes.Length > 512);
        Assert.Equal((int)(System.IO.Hashing.XxHash3.HashToUInt64(bytes) % 97), ListingBucket.Of(key, 97));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(ListingBucket.MaxBuckets + 1)]
    public void A_bucket_count_outside_the_range_is_refused(int buckets) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ListingBucket.Of("a/b", buckets));

    [Fact]
    public void A_key_that_is_not_valid_UTF16_is_refused_rather_than_hashed_like_another() =>
        Assert.ThrowsAny<ArgumentException>(() => ListingBucket.Of("a/\uD800", 64));

    [Theory]
    [InlineData("88.709.911/x/y", "88.709.911")]
    [InlineData("0.NA/88.709.911", "0.NA")]
    public void The_prefix_of_a_key_is_everything_before_the_first_slash(string key, string prefix) =>
        Assert.Equal(prefix, ListingBucket.PrefixOf(key));

    [Theory]
    [InlineData("no-slash")]
    [InlineData("/suffix-only")]
    public void A_key_without_a_prefix_has_no_listing_partition(string key) =>
        Assert.Throws<ArgumentException>(() => ListingBucket.PrefixOf(key));
}
