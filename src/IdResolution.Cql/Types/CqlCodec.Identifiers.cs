using System.Buffers;
using System.Net;

namespace IdResolution.Cql.Types;

public static partial class CqlCodec
{
    /// <summary>uuid and timeuuid: 16 bytes in RFC 4122 (network) order, whatever Guid's in-memory layout.</summary>
    public static void EncodeUuid(Guid value, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        value.TryWriteBytes(writer.GetSpan(16), bigEndian: true, out _);
        writer.Advance(16);
    }

    public static Guid DecodeUuid(ReadOnlySpan<byte> bytes) => new(Exactly(bytes, 16, "uuid"), bigEndian: true);

    public static void EncodeInet(IPAddress value, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(writer);
        var span = writer.GetSpan(16);
        value.TryWriteBytes(span, out var written);
        writer.Advance(written);
    }

    public static IPAddress DecodeInet(ReadOnlySpan<byte> bytes) => bytes.Length is 4 or 16
        ? new IPAddress(bytes)
        : throw new CqlDecodeException($"An inet value has 4 or 16 bytes, not {bytes.Length}.");
}
