using IdResolution.Cql.Errors;

namespace IdResolution.Cql.Protocol.Responses;

/// <summary>
/// RESULT Rows (native_protocol_v4.spec §4.2.5.2). Cells stay raw [bytes] (null for a null cell), slices of
/// the frame body, stored row-major in one array so a page costs one allocation; typed decoding is left to
/// the codecs.
/// </summary>
internal sealed record RowsResult : CqlResponse
{
    private readonly ReadOnlyMemory<byte>?[] _cells;

    public RowsResult(CqlRowsMetadata metadata, int rowCount, ReadOnlyMemory<byte>?[] cells)
    {
        Metadata = metadata;
        RowCount = rowCount;
        _cells = cells;
    }

    public CqlRowsMetadata Metadata { get; }

    public int RowCount { get; }

    public ReadOnlyMemory<byte>? GetCell(int row, int column)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, RowCount);
        ArgumentOutOfRangeException.ThrowIfNegative(column);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(column, Metadata.ColumnCount);
        return _cells[(row * Metadata.ColumnCount) + column];
    }

    public static RowsResult Read(CqlBodyReader reader)
    {
        var metadata = CqlRowsMetadata.Read(reader);
        var rowCount = reader.ReadInt();
        if (rowCount < 0)
        {
            throw new CqlProtocolException($"Row count {rowCount} is negative.");
        }

        // Every cell takes at least its 4-byte length; long arithmetic so a hostile product cannot wrap.
        var cellCount = reader.CheckedCount((long)rowCount * metadata.ColumnCount, 4, "row cell");
        var cells = new ReadOnlyMemory<byte>?[cellCount];
        for (var i = 0; i < cells.Length; i++)
        {
            cells[i] = reader.ReadBytes();
        }

        return new RowsResult(metadata, rowCount, cells);
    }
}
