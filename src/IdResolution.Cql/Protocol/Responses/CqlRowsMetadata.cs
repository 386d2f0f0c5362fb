using IdResolution.Cql.Errors;

namespace IdResolution.Cql.Protocol.Responses;

/// <summary>
/// Rows metadata (native_protocol_v4.spec §4.2.5.2). <see cref="Columns"/> is empty under No_metadata, while
/// <see cref="ColumnCount"/> still says how many cells a row has.
/// </summary>
internal sealed record CqlRowsMetadata(
    CqlRowsFlags Flags,
    int ColumnCount,
    ReadOnlyMemory<byte>? PagingState,
    IReadOnlyList<CqlColumnSpec> Columns)
{
    /// <summary>Paging must test this flag, never the row count (§8).</summary>
    public bool HasMorePages => (Flags & CqlRowsFlags.HasMorePages) != 0;

    public static CqlRowsMetadata Read(CqlBodyReader reader)
    {
        var flags = (CqlRowsFlags)reader.ReadInt();
        var columnCount = reader.ReadInt();
        if (columnCount < 0)
        {
            throw new CqlProtocolException($"Rows column count {columnCount} is negative.");
        }

        ReadOnlyMemory<byte>? pagingState = (flags & CqlRowsFlags.HasMorePages) != 0 ? reader.ReadBytes() : null;
        if ((flags & CqlRowsFlags.NoMetadata) != 0)
        {
            return new CqlRowsMetadata(flags, columnCount, pagingState, []);
        }

        var columns = CqlColumnSpecReader.Read(reader, columnCount, (flags & CqlRowsFlags.GlobalTableSpec) != 0);
        return new CqlRowsMetadata(flags, columnCount, pagingState, columns);
    }
}
