using System.Buffers;
using IdResolution.Cql.Protocol;

namespace IdResolution.Cql.Tests.Server;

/// <summary>RESULT bodies of the fake cluster: typed rows, prepared statements with their markers.</summary>
internal static class FakeRows
{
    /// <summary>RESULT Rows with a global table spec (native_protocol_v4.spec §4.2.5.2); a null cell is null.</summary>
    public static ServerReply Rows(string keyspace, string table, IReadOnlyList<(string Name, FakeColumnType Type)> columns, IReadOnlyList<byte[]?[]> rows)
    {
        var body = new ArrayBufferWriter<byte>();
        body.WriteInt(0x0002);
        body.WriteInt(0x0001);
        body.WriteInt(columns.Count);
        body.WriteString(keyspace);
        body.WriteString(table);
        foreach (var (name, type) in columns)
        {
            body.WriteString(name);
            type.Write(body);
        }

        body.WriteInt(rows.Count);
        foreach (var row in rows)
        {
            foreach (var cell in row)
            {
                body.WriteBytes(cell);
            }
        }

        return new FrameReply(CqlOpcode.Result, body.WrittenSpan.ToArray());
    }

    /// <summary>RESULT Prepared (v4 layout): the markers' columns and the indexes of those that bind the partition key.</summary>
    public static ServerReply Prepared(byte[] id, string keyspace, string table, IReadOnlyList<(string Name, FakeColumnType Type)> markers, IReadOnlyList<short> partitionKeyIndexes)
    {
        var body = new ArrayBufferWriter<byte>();
        body.WriteInt(0x0004);
        body.WriteShortBytes(id);
        body.WriteInt(0x0001);
        body.WriteInt(markers.Count);
        body.WriteInt(partitionKeyIndexes.Count);
        foreach (var index in partitionKeyIndexes)
        {
            body.WriteShort(index);
        }

        body.WriteString(keyspace);
        body.WriteString(table);
        foreach (var (name, type) in markers)
        {
            body.WriteString(name);
            type.Write(body);
        }

        body.WriteInt(0x0004); // result metadata: No_metadata
        body.WriteInt(0);
        return new FrameReply(CqlOpcode.Result, body.WrittenSpan.ToArray());
    }

    public static ServerReply SchemaChange(string change, string target, string keyspace, string? table)
    {
        var body = new ArrayBufferWriter<byte>();
        body.WriteInt(0x0005);
        body.WriteString(change);
        body.WriteString(target);
        body.WriteString(keyspace);
        if (table is not null)
        {
            body.WriteString(table);
        }

        return new FrameReply(CqlOpcode.Result, body.WrittenSpan.ToArray());
    }

    public static byte[] Cell(Action<IBufferWriter<byte>> write)
    {
        var writer = new ArrayBufferWriter<byte>();
        write(writer);
        return writer.WrittenSpan.ToArray();
    }
}
