using System.Buffers;
using System.Buffers.Binary;

namespace IdResolution.Cql.Types;

/// <summary>
/// Value encodings of protocol v4 §6: the bytes inside a <c>[bytes]</c> value, without its length.
/// A null value (length -1) is the caller's concern; every method here works on a present value.
/// Decoders throw <see cref="CqlDecodeException"/> on malformed input, never an index error.
/// </summary>
public static partial class CqlCodec
{
    public static void EncodeInt32(int value, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        BinaryPrimitives.WriteInt32BigEndian(writer.GetSpan(4), value);
        writer.Advance(4);
    }

    public static int DecodeInt32(ReadOnlySpan<byte> bytes) =>
        BinaryPrimitives.ReadInt32BigEndian(Exactly(bytes, 4, "int"));

    /// <summary>bigint and counter.</summary>
    public static void EncodeInt64(long value, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        BinaryPrimitives.WriteInt64BigEndian(writer.GetSpan(8), value);
        writer.Advance(8);
    }

    /// <summary>bigint and counter.</summary>
    public static long DecodeInt64(ReadOnlySpan<byte> bytes) =>
        BinaryPrimitives.ReadInt64BigEndian(Exactly(bytes, 8, "bigint"));

    public static void EncodeInt16(short value, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        BinaryPrimitives.WriteInt16BigEndian(writer.GetSpan(2), value);
        writer.Advance(2);
    }

    public static short DecodeInt16(ReadOnlySpan<byte> bytes) =>
        BinaryPrimitives.ReadInt16BigEndian(Exactly(bytes, 2, "smallint"));

    public static void EncodeSByte(sbyte value, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.GetSpan(1)[0] = unchecked((byte)value);
        writer.Advance(1);
    }

    public static sbyte DecodeSByte(ReadOnlySpan<byte> bytes) => unchecked((sbyte)Exactly(bytes, 1, "tinyint")[0]);

    public static void EncodeBoolean(bool value, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.GetSpan(1)[0] = value ? (byte)1 : (byte)0;
        writer.Advance(1);
    }

    /// <summary>Any non-zero byte is true, as the server reads it.</summary>
    public static bool DecodeBoolean(ReadOnlySpan<byte> bytes) => Exactly(bytes, 1, "boolean")[0] != 0;

    public static void EncodeDouble(double value, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        BinaryPrimitives.WriteDoubleBigEndian(writer.GetSpan(8), value);
        writer.Advance(8);
    }

    public static double DecodeDouble(ReadOnlySpan<byte> bytes) =>
        BinaryPrimitives.ReadDoubleBigEndian(Exactly(bytes, 8, "double"));

    public static void EncodeSingle(float value, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        BinaryPrimitives.WriteSingleBigEndian(writer.GetSpan(4), value);
        writer.Advance(4);
    }

    public static float DecodeSingle(ReadOnlySpan<byte> bytes) =>
        BinaryPrimitives.ReadSingleBigEndian(Exactly(bytes, 4, "float"));

    public static void EncodeBlob(ReadOnlySpan<byte> value, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(value);
    }

    public static byte[] DecodeBlob(ReadOnlySpan<byte> bytes) => bytes.ToArray();

    private static ReadOnlySpan<byte> Exactly(ReadOnlySpan<byte> bytes, int length, string type) =>
        bytes.Length == length
            ? bytes
            : throw new CqlDecodeException($"A {type} value has {length} bytes, not {bytes.Length}.");
}
