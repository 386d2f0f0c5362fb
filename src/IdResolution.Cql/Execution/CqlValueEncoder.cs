using System.Buffers;
using System.Collections;
using System.Net;
using IdResolution.Cql.Protocol;
using IdResolution.Cql.Protocol.Responses;
using IdResolution.Cql.Types;

namespace IdResolution.Cql.Execution;

/// <summary>
/// Turns .NET values into bound CQL values, directed by the bind marker's type from the prepared
/// metadata: the server, not the .NET type, says whether a string is ascii or text, an int a bigint.
/// </summary>
internal static class CqlValueEncoder
{
    public static CqlValue Encode(object? value, CqlColumnType type)
    {
        if (value is null)
        {
            return CqlValue.Null;
        }

        if (value is CqlUnset)
        {
            return CqlValue.NotSet;
        }

        var writer = new ArrayBufferWriter<byte>();
        Write(value, type, writer);
        return CqlValue.Of(writer.WrittenMemory);
    }

    private static void Write(object value, CqlColumnType type, IBufferWriter<byte> writer)
    {
        switch (type.Code, value)
        {
            case (CqlColumnTypeCode.Varchar, string text):
                CqlCodec.EncodeText(text, writer);
                break;
            case (CqlColumnTypeCode.Ascii, string text):
                CqlCodec.EncodeAscii(text, writer);
                break;
            case (CqlColumnTypeCode.Blob, byte[] bytes):
                CqlCodec.EncodeBlob(bytes, writer);
                break;
            case (CqlColumnTypeCode.Blob, ReadOnlyMemory<byte> bytes):
                CqlCodec.EncodeBlob(bytes.Span, writer);
                break;
            case (CqlColumnTypeCode.Int, int number):
                CqlCodec.EncodeInt32(number, writer);
                break;
            case (CqlColumnTypeCode.Bigint or CqlColumnTypeCode.Counter, long number):
                CqlCodec.EncodeInt64(number, writer);
                break;
            case (CqlColumnTypeCode.Bigint or CqlColumnTypeCode.Counter, int number):
                CqlCodec.EncodeInt64(number, writer);
                break;
            case (CqlColumnTypeCode.Smallint, short number):
                CqlCodec.EncodeInt16(number, writer);
                break;
            case (CqlColumnTypeCode.Tinyint, sbyte number):
                CqlCodec.EncodeSByte(number, writer);
                break;
            case (CqlColumnTypeCode.Boolean, bool flag):
                CqlCodec.EncodeBoolean(flag, writer);
                break;
            case (CqlColumnTypeCode.Double, double number):
                CqlCodec.EncodeDouble(number, writer);
                break;
            case (CqlColumnTypeCode.Float, float number):
                CqlCodec.EncodeSingle(number, writer);
                break;
            case (CqlColumnTypeCode.Timestamp, DateTimeOffset moment):
                CqlCodec.EncodeTimestamp(moment, writer);
                break;
            case (CqlColumnTypeCode.Uuid or CqlColumnTypeCode.Timeuuid, Guid id):
                CqlCodec.EncodeUuid(id, writer);
                break;
            case (CqlColumnTypeCode.Inet, IPAddress address):
                CqlCodec.EncodeInet(address, writer);
                break;
            case (CqlColumnTypeCode.Date, DateOnly day):
                CqlCodec.EncodeDate(day, writer);
                break;
            case (CqlColumnTypeCode.List or CqlColumnTypeCode.Set, IEnumerable items) when value is not string:
                var elements = items.Cast<object?>().ToList();
                CqlCodec.EncodeList(elements, (item, output) => Write(item ?? throw new ArgumentException("A collection element cannot be null."), type.Arguments[0], output), writer);
                break;
            case (CqlColumnTypeCode.Map, IEnumerable map) when value is not string:
                CqlCodec.EncodeMap(
                    MapEntries.Of(map),
                    (key, output) => Write(key ?? throw new ArgumentException("A map key cannot be null."), type.Arguments[0], output),
                    (item, output) => Write(item ?? throw new ArgumentException("A map value cannot be null."), type.Arguments[1], output),
                    writer);
                break;
            default:
                throw new ArgumentException($"A {value.GetType().Name} cannot be bound to a {type.Code} column.");
        }
    }
}
