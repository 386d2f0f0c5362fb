using IdResolution.Core.Storage;

namespace IdResolution.Storage.Cassandra.Tests;

/// <summary>What the contract does not reach: lost answers, orphan listing rows, start-up checks.</summary>
public sealed class CassandraHandleStoreTests
{
    private const string Key = "88.709.911/ITEM-1";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static CassandraStoreOptions Options(int buckets = 8) => new() { LocalDataCenter = "dc1", ListingBuckets = buckets };

    private static StoreWrite ToVersionTwenty => StoreWrite.Replace(Key, 10, Records.Url("88.709.911/item-1", 20));

    /// <summary>A store over a fresh fake cluster holding <see cref="Key"/> at version 10.</summary>
    private static async Task<(FakeCassandra Cluster, CassandraHandleStore Store)> WithVersionTenAsync()
    {
        var cluster = new FakeCassandra();
        var store = await CassandraHandleStore.OpenAsync(cluster.OpenSession(), Options(), Ct);
        await store.WriteAsync([StoreWrite.Create(Key, Records.Url("88.709.911/item-1", 10))], Ct);
        return (cluster, store);
    }

    [Fact]
    public async Task A_write_whose_answer_was_lost_but_which_landed_is_applied()
    {
        var cluster = new FakeCassandra { LoseAnswers = 1 };
        await using var store = await CassandraHandleStore.OpenAsync(cluster.OpenSession(), Options(), Ct);

        var result = Assert.Single(await store.WriteAsync([StoreWrite.Create(Key, Records.Url("88.709.911/item-1", 10))], Ct));

        Assert.Equal(StoreWriteResult.Applied, result);
        Assert.Equal(1, cluster.SerialReads);
        Assert.Equal(10, (await store.GetAsync(Key, Ct))?.Version);
    }

    [Fact]
    public async Task A_write_whose_answer_was_lost_and_which_did_not_land_is_sent_again_and_applied()
    {
        var (cluster, opened) = await WithVersionTenAsync();
        await using var store = opened;
        cluster.DropWrites = 1;

        var result = Assert.Single(await store.WriteAsync([ToVersionTwenty], Ct));

        Assert.Equal(StoreWriteResult.Applied, result);
        Assert.Equal(1 + 2, cluster.ConditionalWrites);
        Assert.Equal(1, cluster.SerialReads);
        Assert.Equal(20, (await store.GetAsync(Key, Ct))?.Version);
    }

    [Fact]
    public async Task A_lost_try_that_lands_after_all_before_its_resend_is_reported_applied_not_as_a_conflict()
    {
        var (cluster, opened) = await WithVersionTenAsync();
        await using var store = opened;
        cluster.DropWrites = 1;
        var tries = 0;
        cluster.BeforeConditional = write =>
        {
            // The lost try, then its resend, which comes after the lost try's round was finished by another.
            if (++tries == 2)
            {
                cluster.Finish(write);
            }

            return Task.CompletedTask;
        };

        var result = Assert.Single(await store.WriteAsync([ToVersionTwenty], Ct));

        Assert.Equal(StoreWriteResult.Applied, result);
        Assert.Equal(1 + 3, cluster.ConditionalWrites);
        Assert.Equal(20, (await store.GetAsync(Key, Ct))?.Version);
    }

    [Fact]
    public async Task A_write_whose_answer_is_lost_every_time_and_which_never_lands_is_unavailable_after_the_bounded_tries()
    {
        var (cluster, opened) = await WithVersionTenAsync();
        await using var store = opened;
        cluster.DropWrites = int.MaxValue;

        var failure = await Assert.ThrowsAsync<StoreUnavailableException>(async () => await store.WriteAsync([ToVersionTwenty], Ct));

        Assert.Contains("is not confirmed", failure.Message, StringComparison.Ordinal);
        Assert.Equal(1 + 1 + CassandraHandleStore.NotLandedRetries, cluster.ConditionalWrites);
        Assert.Equal(1 + CassandraHandleStore.NotLandedRetries, cluster.SerialReads);
        cluster.DropWrites = 0;
        Assert.Equal(StoreWriteResult.Applied, Assert.Single(await store.WriteAsync([ToVersionTwenty], Ct)));
    }

    [Fact]
    public async Task A_write_whose_answer_was_lost_and_whose_serial_read_fails_is_unavailable_saying_its_outcome_is_unknown()
    {
        var cluster = new FakeCassandra();
        await using var store = await CassandraHandleStore.OpenAsync(cluster.OpenSession(), Options(), Ct);
        cluster.DropWrites = 1;
        cluster.FailSerialReads = 1;

        var failure = await Assert.ThrowsAsync<StoreUnavailableException>(async () => await store.WriteAsync([StoreWrite.Create(Key, Records.Url("88.709.911/item-1", 10))], Ct));

        Assert.Equal(
            "The write of '88.709.911/ITEM-1' is not confirmed: its answer was lost, and the serial read that would tell failed (Cassandra answered Unavailable: 1 replica alive of 2 required for LOCAL_SERIAL.); its outcome is unknown and it is safe to retry.",
            failure.Message);
        Assert.Equal(1, cluster.ConditionalWrites);
    }

    [Fact]
    public async Task A_listing_row_left_by_a_failed_create_is_not_listed()
    {
        var (cluster, opened) = await WithVersionTenAsync();
        await using var store = opened;
        cluster.AddOrphanListingRow("88.709.911/ITEM-0", 8);

        var page = await store.ListAsync("88.709.911", null, 10, Ct);

        Assert.Equal([Key], page.Handles.Select(h => h.Key));
        Assert.Equal(2, cluster.ListingRows);
    }

    [Fact]
    public async Task A_delete_leaves_its_listing_row_and_the_handle_is_no_longer_listed()
    {
        var (cluster, opened) = await WithVersionTenAsync();
        await using var store = opened;

        await store.WriteAsync([StoreWrite.Delete(Key, 10)], Ct);

        Assert.Empty((await store.ListAsync("88.709.911", null, 10, Ct)).Handles);
        Assert.Equal(1, cluster.ListingRows);
    }

    [Fact]
    public async Task A_store_with_another_bucket_count_than_the_data_refuses_to_start()
    {
        var cluster = new FakeCassandra();
        await (await CassandraHandleStore.OpenAsync(cluster.OpenSession(), Options(8), Ct)).DisposeAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await CassandraHandleStore.OpenAsync(cluster.OpenSession(), Options(16), Ct));

        Assert.Contains("set it to 8", error.Message, StringComparison.Ordinal);
        await (await CassandraHandleStore.OpenAsync(cluster.OpenSession(), Options(8), Ct)).DisposeAsync();
    }

    [Fact]
    public async Task Invalid_settings_are_refused_before_anything_is_sent()
    {
        var cluster = new FakeCassandra();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await CassandraHandleStore.OpenAsync(cluster.OpenSession(), new CassandraStoreOptions(), Ct));

        Assert.Contains("LocalDataCenter", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, cluster.ListingRows);
    }

    [Fact]
    public async Task The_schema_is_created_only_when_asked()
    {
        var cluster = new FakeCassandra();
        await (await CassandraHandleStore.OpenAsync(cluster.OpenSession(), Options(), Ct)).DisposeAsync();
        Assert.Empty(cluster.SchemaStatements);

        var options = Options();
        options.CreateSchema = true;
        await (await CassandraHandleStore.OpenAsync(cluster.OpenSession(), options, Ct)).DisposeAsync();

        Assert.Equal(CassandraSchema.Statements(options), cluster.SchemaStatements);
    }

    [Fact]
    public async Task A_write_with_version_zero_is_refused_before_anything_is_sent()
    {
        var cluster = new FakeCassandra();
        await using var store = await CassandraHandleStore.OpenAsync(cluster.OpenSession(), Options(), Ct);

        Assert.Throws<ArgumentException>(() => store.WriteAsync([StoreWrite.Create(Key, Records.Url("88.709.911/item-1", 0))], Ct));
        Assert.Equal(0, cluster.ListingRows);
    }
}
