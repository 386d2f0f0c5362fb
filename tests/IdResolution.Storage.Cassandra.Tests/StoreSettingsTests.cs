namespace IdResolution.Storage.Cassandra.Tests;

public sealed class StoreSettingsTests
{
    [Fact]
    public void The_first_node_records_its_bucket_count()
    {
        Assert.Equal(["listing_buckets", "64"], StoreSettings.ListingBucketsValues(64));
        Assert.Equal(CassandraStatements.InsertSetting.Count(c => c == '?'), StoreSettings.ListingBucketsValues(64).Length);
        Assert.Null(StoreSettings.ListingBucketsProblem(64, applied: true, storedValue: null));
    }

    [Fact]
    public void A_later_node_with_the_same_count_starts() =>
        Assert.Null(StoreSettings.ListingBucketsProblem(64, applied: false, storedValue: "64"));

    [Fact]
    public void A_later_node_with_another_count_is_told_the_stored_one()
    {
        var problem = StoreSettings.ListingBucketsProblem(128, applied: false, storedValue: "64");

        Assert.NotNull(problem);
        Assert.Contains("set it to 64", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("-64")]
    [InlineData("sixty-four")]
    public void A_stored_value_that_is_not_a_count_stops_the_start(string? stored) =>
        Assert.Contains("not a bucket count", StoreSettings.ListingBucketsProblem(64, applied: false, stored), StringComparison.Ordinal);
}
