using System.Buffers;
using IdResolution.Cql.Protocol;
using IdResolution.Cql.Protocol.Responses;

namespace IdResolution.Cql.Tests.Server;

/// <summary>A CQL type as the fake cluster knows it from CREATE TABLE, written as a protocol [option].</summary>
internal sealed record FakeColumnType(CqlColumnTypeCode Code, IReadOnlyList<FakeColumnType> Arguments)
{
    public static readonly FakeColumnType Text = new(CqlColumnTypeCode.Varchar, []);
    public static readonly FakeColumnType Int = new(CqlColumnTypeCode.Int, []);
    public static readonly FakeColumnType Boolean = new(CqlColumnTypeCode.Boolean, []);
    public static readonly FakeColumnType Uuid = new(CqlColumnTypeCode.Uuid, []);
    public static readonly FakeColumnType Inet = new(CqlColumnTypeCode.Inet, []);

    public static FakeColumnType SetOf(FakeColumnType element) => new(CqlColumnTypeCode.Set, [element]);

    public static FakeColumnType MapOf(FakeColumnType key, FakeColumnType value) => new(CqlColumnTypeCode.Map, [key, value]);

    /// <summary>"text", "bigint", "list&lt;text&gt;", "map&lt;text, frozen&lt;list&lt;int&gt;&gt;&gt;" …</summary>
    public static FakeColumnType Parse(string text)
    {
        text = text.Trim();
        var open = text.IndexOf('<', StringComparison.Ordinal);
        if (open < 0)
        {
            return new(text.ToLowerInvariant() switch
            {
                "text" or "varchar" => CqlColumnTypeCode.Varchar,
                "ascii" => CqlColumnTypeCode.Ascii,
                "int" => CqlColumnTypeCode.Int,
                "bigint" => CqlColumnTypeCode.Bigint,
                "blob" => CqlColumnTypeCode.Blob,
                "boolean" => CqlColumnTypeCode.Boolean,
                "timestamp" => CqlColumnTypeCode.Timestamp,
                "uuid" => CqlColumnTypeCode.Uuid,
                "timeuuid" => CqlColumnTypeCode.Timeuuid,
                "double" => CqlColumnTypeCode.Double,
                "inet" => CqlColumnTypeCode.Inet,
                _ => throw new NotSupportedException($"The fake cluster knows no type '{text}'."),
            }, []);
        }

        var name = text[..open].Trim().ToLowerInvariant();
        var inner = text[(open + 1)..text.LastIndexOf('>')];
        if (name == "frozen")
        {
            return Parse(inner);
        }

        var arguments = FakeSchema.SplitTopLevel(inner).Select(Parse).ToList();
        return new(name switch
        {
            "list" => CqlColumnTypeCode.List,
            "set" => CqlColumnTypeCode.Set,
            "map" => CqlColumnTypeCode.Map,
            _ => throw new NotSupportedException($"The fake cluster knows no type '{text}'."),
        }, arguments);
    }

    public void Write(IBufferWriter<byte> body)
    {
        body.WriteShort((short)Code);
        foreach (var argument in Arguments)
        {
            argument.Write(body);
        }
    }
}
