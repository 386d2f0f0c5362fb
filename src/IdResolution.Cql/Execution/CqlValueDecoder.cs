using IdResolution.Cql.Protocol.Responses;
using IdResolution.Cql.Types;

namespace IdResolution.Cql.Execution;

/// <summary>Turns a cell into a .NET value, by the column's type in the result metadata.</summary>
internal static class CqlValueDecoder
{
    public static object Decode(ReadOnlySpan<byte> cell, CqlColumnType type) => type.Code switch
    {
        CqlColumnTypeCode.Varchar => CqlCodec.DecodeText(cell),
        CqlColumnTypeCode.Ascii => CqlCodec.DecodeAscii(cell),
        CqlColumnTypeCode.Blob => CqlCodec.DecodeBlob(cell),
        CqlColumnTypeCode.Int => CqlCodec.DecodeInt32(cell),
        CqlColumnTypeCode.Bigint or CqlColumnTypeCode.Counter => CqlCodec.DecodeInt64(cell),
        CqlColumnTypeCode.Smallint => CqlCodec.DecodeInt16(cell),
        CqlColumnTypeCode.Tinyint => CqlCodec.DecodeSByte(cell),
        CqlColumnTypeCode.Boolean => CqlCodec.DecodeBoolean(cell),
        CqlColumnTypeCode.Double => CqlCodec.DecodeDouble(cell),
        CqlColumnTypeCode.Float => CqlCodec.DecodeSingle(cell),
        CqlColumnTypeCode.Timestamp => CqlCodec.DecodeTimestamp(cell),
        CqlColumnTypeCode.Uuid or CqlColumnTypeCode.Timeuuid => CqlCodec.DecodeUuid(cell),
        CqlColumnTypeCode.Inet => CqlCodec.DecodeInet(cell),
        CqlColumnTypeCode.Date => CqlCodec.DecodeDate(cell),
        CqlColumnTypeCode.List or CqlColumnTypeCode.Set => CqlCodec.DecodeList(cell, element => Decode(element, type.Arguments[0])),
        CqlColumnTypeCode.Map => CqlCodec.DecodeMap(cell, key => Decode(key, type.Arguments[0]), value => Decode(value, type.Arguments[1])),
        _ => throw new CqlDecodeException($"Columns of type {type.Code} are not decoded by this client."),
    };
}
