using IdResolution.Cql.Errors;

namespace IdResolution.Cql.Protocol.Responses;

/// <summary>
/// RESULT Prepared, v4 layout: id, bind-marker metadata, result metadata (native_protocol_v4.spec §4.2.5.4).
/// v5 adds a result metadata id after the id; it is not read here.
/// </summary>
internal sealed record PreparedResult(
    ReadOnlyMemory<byte> Id,
    IReadOnlyList<short> PartitionKeyIndexes,
    IReadOnlyList<CqlColumnSpec> BindMarkers,
    CqlRowsMetadata ResultMetadata) : CqlResponse
{
    public static PreparedResult Read(CqlBodyReader reader)
    {
        var id = reader.ReadShortBytes();
        var flags = (CqlRowsFlags)reader.ReadInt();
        var columnCount = reader.ReadInt();

        // pk_index_i names the bind marker holding partition key column i, which gives the routing key
        // without reading the schema; a count of 0 means some key column is not bound directly.
        var pkCount = reader.CheckedCount(reader.ReadInt(), 2, "partition key index");
        var pkIndexes = new short[pkCount];
        for (var i = 0; i < pkCount; i++)
        {
            pkIndexes[i] = reader.ReadShort();
        }

        if (columnCount < 0)
        {
            throw new CqlProtocolException($"Bind marker count {columnCount} is negative.");
        }

        var markers = CqlColumnSpecReader.Read(reader, columnCount, (flags & CqlRowsFlags.GlobalTableSpec) != 0);
        return new PreparedResult(id, pkIndexes, markers, CqlRowsMetadata.Read(reader));
    }
}
