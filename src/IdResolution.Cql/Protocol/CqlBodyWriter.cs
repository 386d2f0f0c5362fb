using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using IdResolution.Cql.Errors;

namespace IdResolution.Cql.Protocol;

/// <summary>Writes the body notations of native_protocol_v4.spec §3, big-endian.</summary>
internal static class CqlBodyWriter
{
    public static void WriteByte(this IBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    public static void WriteShort(this IBufferWriter<byte> output, short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(output.GetSpan(2), value);
        output.Advance(2);
    }

    /// <summary>The spec's [short] is unsigned wherever it is a length or a count.</summary>
    public static void WriteUnsignedShort(this IBufferWriter<byte> output, ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(output.GetSpan(2), value);
        output.Advance(2);
    }

    public static void WriteInt(this IBufferWriter<byte> output, int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    public static void WriteLong(this IBufferWriter<byte> output, long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(output.GetSpan(8), value);
        output.Advance(8);
    }

    public static void WriteString(this IBufferWriter<byte> output, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        output.WriteUnsignedShort(ShortLength(length, "[string]"));
        WriteUtf8(output, value, length);
    }

    public static void WriteLongString(this IBufferWriter<byte> output, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        output.WriteInt(length);
        WriteUtf8(output, value, length);
    }

    public static void WriteUuid(this IBufferWriter<byte> output, Guid value)
    {
        value.TryWriteBytes(output.GetSpan(16), bigEndian: true, out _);
        output.Advance(16);
    }

    public static void WriteStringList(this IBufferWriter<byte> output, IReadOnlyCollection<string> values)
    {
        output.WriteUnsignedShort(ShortLength(values.Count, "[string list]"));
        foreach (var value in values)
        {
            output.WriteString(value);
        }
    }

    /// <summary>[bytes]; a null <paramref name="value"/> is written as length -1.</summary>
    public static void WriteBytes(this IBufferWriter<byte> output, ReadOnlyMemory<byte>? value)
    {
        if (value is not { } bytes)
        {
            output.WriteInt(-1);
            return;
        }

        output.WriteInt(bytes.Length);
        output.Write(bytes.Span);
    }

    public static void WriteValue(this IBufferWriter<byte> output, CqlValue value)
    {
        switch (value.Kind)
        {
            case CqlValueKind.Null:
                output.WriteInt(-1);
                break;
            case CqlValueKind.NotSet:
                output.WriteInt(-2);
                break;
            default:
                output.WriteBytes(value.Bytes);
                break;
        }
    }

    public static void WriteShortBytes(this IBufferWriter<byte> output, ReadOnlySpan<byte> value)
    {
        output.WriteUnsignedShort(ShortLength(value.Length, "[short bytes]"));
        output.Write(value);
    }

    public static void WriteInetAddress(this IBufferWriter<byte> output, IPAddress address)
    {
        var size = address.AddressFamily == AddressFamily.InterNetworkV6 ? 16 : 4;
        output.WriteByte((byte)size);
        address.TryWriteBytes(output.GetSpan(size), out _);
        output.Advance(size);
    }

    public static void WriteInet(this IBufferWriter<byte> output, IPEndPoint endPoint)
    {
        output.WriteInetAddress(endPoint.Address);
        output.WriteInt(endPoint.Port);
    }

    public static void WriteConsistency(this IBufferWriter<byte> output, CqlConsistency consistency) =>
        output.WriteUnsignedShort((ushort)consistency);

    public static void WriteStringMap(this IBufferWriter<byte> output, IReadOnlyCollection<KeyValuePair<string, string>> map)
    {
        output.WriteUnsignedShort(ShortLength(map.Count, "[string map]"));
        foreach (var (key, value) in map)
        {
            output.WriteString(key);
            output.WriteString(value);
        }
    }

    public static void WriteStringMultimap(
        this IBufferWriter<byte> output,
        IReadOnlyCollection<KeyValuePair<string, IReadOnlyList<string>>> map)
    {
        output.WriteUnsignedShort(ShortLength(map.Count, "[string multimap]"));
        foreach (var (key, values) in map)
        {
            output.WriteString(key);
            output.WriteStringList(values);
        }
    }

    public static void WriteBytesMap(
        this IBufferWriter<byte> output,
        IReadOnlyCollection<KeyValuePair<string, ReadOnlyMemory<byte>?>> map)
    {
        output.WriteUnsignedShort(ShortLength(map.Count, "[bytes map]"));
        foreach (var (key, value) in map)
        {
            output.WriteString(key);
            output.WriteBytes(value);
        }
    }

    private static void WriteUtf8(IBufferWriter<byte> output, string value, int length)
    {
        Encoding.UTF8.GetBytes(value, output.GetSpan(length));
        output.Advance(length);
    }

    private static ushort ShortLength(int length, string notation) =>
        length <= ushort.MaxValue
            ? (ushort)length
            : throw new ArgumentOutOfRangeException(nameof(length), length, $"A {notation} holds at most {ushort.MaxValue} items or bytes.");
}
