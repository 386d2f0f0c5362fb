using IdResolution.Core.Storage;
using IdResolution.Core.Records;

namespace IdResolution.Storage.Cassandra;

/// <summary>
/// Turns a <see cref="StoreWrite"/> into statements.
/// </summary>
/// <remarks>
/// The listing row of a create is written before the record: a crash in between leaves a listing row
/// without a record, which listings skip (they read each listed key's spelling from <c>handles</c>),
/// whereas the other order could leave a record no listing ever shows. Updates keep the key, so they
/// leave the listing alone. Deletes leave their listing row too: deleting it would race a create of
/// the same key (the create's listing write can land before the delete's), would need clocks in step to
/// order the two, and would put tombstones into partitions that listings scan. Identifiers are
/// persistent, so deletes are rare and the rows they leave are few; a repair job may remove them.
/// </remarks>
internal static class WritePlanner
{
    public static PlannedWrite Plan(StoreWrite write, int listingBuckets)
    {
        ArgumentException.ThrowIfNullOrEmpty(write.Key, nameof(write));
        if (write.Record is { Version: StoreWrite.Absent })
        {
            // A stored version 0 would read as "absent" to the next compare-and-set.
            throw new ArgumentException($"The record for '{write.Key}' carries version {StoreWrite.Absent}, which means absent.", nameof(write));
        }

        if (write.Record is null)
        {
            return new PlannedWrite(write.ExpectedVersion == StoreWrite.Absent ? PlannedWriteKind.ConfirmAbsent : PlannedWriteKind.Delete, write, null, null);
        }

        var encoded = RecordCodec.Encode(write.Record);
        if (write.ExpectedVersion != StoreWrite.Absent)
        {
            return new PlannedWrite(PlannedWriteKind.Update, write, encoded, null);
        }

        var listing = new ListingRow(ListingBucket.PrefixOf(write.Key), ListingBucket.Of(write.Key, listingBuckets), write.Key);
        return new PlannedWrite(PlannedWriteKind.Create, write, encoded, listing);
    }
}
