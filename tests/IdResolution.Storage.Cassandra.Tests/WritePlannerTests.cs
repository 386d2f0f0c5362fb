using IdResolution.Core.Storage;
using IdResolution.Core.Records;

namespace IdResolution.Storage.Cassandra.Tests;

public sealed class WritePlannerTests
{
    private const string Key = "88.709.911/ITEM-1";

    [Fact]
    public void A_create_writes_its_listing_row_first_then_inserts_if_not_exists()
    {
        var record = Records.Url("88.709.911/item-1", 10);

        var plan = WritePlanner.Plan(StoreWrite.Create(Key, record), 64);

        Assert.Equal(PlannedWriteKind.Create, plan.Kind);
        Assert.Equal(CassandraStatements.InsertRecord, plan.Statement);
        Assert.Equal([Key, "88.709.911/item-1", 10L, RecordCodec.Encode(record)], plan.Values());
        Assert.Equal(new ListingRow("88.709.911", ListingBucket.Of(Key, 64), Key), plan.ListingFirst);
        Assert.Equal(["88.709.911", ListingBucket.Of(Key, 64), Key], plan.ListingFirst!.Value.Values());
    }

    [Fact]
    public void A_replace_updates_if_the_version_is_the_one_read_and_leaves_the_listing_alone()
    {
        var record = Records.Url("88.709.911/Item-1", 20);

        var plan = WritePlanner.Plan(StoreWrite.Replace(Key, 10, record), 64);

        Assert.Equal(PlannedWriteKind.Update, plan.Kind);
        Assert.Equal(CassandraStatements.UpdateRecord, plan.Statement);
        Assert.Equal(["88.709.911/Item-1", 20L, RecordCodec.Encode(record), Key, 10L], plan.Values());
        Assert.Null(plan.ListingFirst);
    }

    [Fact]
    public void A_delete_deletes_if_the_version_is_the_one_read_and_leaves_its_listing_row()
    {
        var plan = WritePlanner.Plan(StoreWrite.Delete(Key, 10), 64);

        Assert.Equal(PlannedWriteKind.Delete, plan.Kind);
        Assert.Equal(CassandraStatements.DeleteRecord, plan.Statement);
        Assert.Equal([Key, 10L], plan.Values());
        Assert.Null(plan.ListingFirst);
    }

    [Fact]
    public void A_delete_of_a_handle_that_must_not_exist_is_decided_by_a_read()
    {
        var plan = WritePlanner.Plan(StoreWrite.Delete(Key, StoreWrite.Absent), 64);

        Assert.Equal(PlannedWriteKind.ConfirmAbsent, plan.Kind);
        Assert.Equal(CassandraStatements.SelectRecord, plan.Statement);
        Assert.Equal([Key], plan.Values());
    }

    [Fact]
    public void Every_plan_binds_one_value_per_marker()
    {
        var record = Records.Url("88.709.911/item-1", 10);
        StoreWrite[] writes = [StoreWrite.Create(Key, record), StoreWrite.Replace(Key, 5, record), StoreWrite.Delete(Key, 5), StoreWrite.Delete(Key, 0)];

        foreach (var write in writes)
        {
            var plan = WritePlanner.Plan(write, 8);
            Assert.Equal(plan.Statement.Count(c => c == '?'), plan.Values().Length);
            Assert.DoesNotContain(null, plan.Values());
        }

        Assert.Equal(CassandraStatements.InsertListing.Count(c => c == '?'), new ListingRow("p", 1, "p/k").Values().Length);
    }

    [Fact]
    public void A_record_with_version_zero_is_refused_because_zero_means_absent() =>
        Assert.Throws<ArgumentException>(() => WritePlanner.Plan(StoreWrite.Create(Key, Records.Url("88.709.911/item-1", StoreWrite.Absent)), 64));

    [Fact]
    public void A_create_of_a_key_without_a_prefix_is_refused() =>
        Assert.Throws<ArgumentException>(() => WritePlanner.Plan(StoreWrite.Create("no-prefix", Records.Url("no-prefix", 1)), 64));
}
