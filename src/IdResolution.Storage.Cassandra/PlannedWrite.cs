using IdResolution.Core.Records;
using IdResolution.Core.Storage;

namespace IdResolution.Storage.Cassandra;

/// <summary>
/// The statements one <see cref="StoreWrite"/> becomes. <see cref="ListingFirst"/> runs (idempotent, so it may be retried)
/// before <see cref="Statement"/>; a failure of either fails that write only.
/// </summary>
internal sealed class PlannedWrite
{
    public PlannedWrite(PlannedWriteKind kind, StoreWrite write, byte[]? encoded, ListingRow? listingFirst)
    {
        Kind = kind;
        Write = write;
        Encoded = encoded;
        ListingFirst = listingFirst;
    }

    public PlannedWriteKind Kind { get; }

    public StoreWrite Write { get; }

    public string Key => Write.Key;

    public HandleRecord? Record => Write.Record;

    /// <summary>The record in RecordCodec form, for the <c>record</c> column.</summary>
    public byte[]? Encoded { get; }

    public ListingRow? ListingFirst { get; }

    /// <summary>The conditional statement; <see cref="PlannedWriteKind.ConfirmAbsent"/> runs the record read at SERIAL instead.</summary>
    public string Statement => Kind switch
    {
        PlannedWriteKind.Create => CassandraStatements.InsertRecord,
        PlannedWriteKind.Update => CassandraStatements.UpdateRecord,
        PlannedWriteKind.Delete => CassandraStatements.DeleteRecord,
        _ => CassandraStatements.SelectRecord,
    };

    /// <summary>Values of <see cref="Statement"/>, in marker order.</summary>
    public object?[] Values() => Kind switch
    {
        PlannedWriteKind.Create => [Key, Record!.Handle, Record.Version, Encoded],
        PlannedWriteKind.Update => [Record!.Handle, Record.Version, Encoded, Key, Write.ExpectedVersion],
        PlannedWriteKind.Delete => [Key, Write.ExpectedVersion],
        _ => [Key],
    };
}
