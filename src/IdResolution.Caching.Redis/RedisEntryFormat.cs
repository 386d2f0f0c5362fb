using System.Buffers.Binary;
using IdResolution.Core.Caching;
using IdResolution.Core.Records;

namespace IdResolution.Caching.Redis;

/// <summary>
/// How a cache entry is laid out in a Redis string: a kind byte, the absolute expiry in Unix
/// milliseconds (so the in-process tier caches it no longer than Redis would), then the record in
/// the node's compact binary form. The kind byte doubles as a format version.
/// </summary>
internal static class RedisEntryFormat
{
    private const byte RecordKind = 1;
    private const byte NotFoundKind = 2;
    private const byte InvalidatedKind = 3;
    private const int HeaderSize = 1 + sizeof(long);

    /// <summary>What a written handle holds while no instance may add an answer read before the write.</summary>
    public static readonly byte[] Invalidated = [InvalidatedKind];

    public static byte[] Encode(HandleRecord? record, DateTimeOffset expires)
    {
        var body = record is null ? [] : RecordCodec.Encode(record);
        var bytes = new byte[HeaderSize + body.Length];
        bytes[0] = record is null ? NotFoundKind : RecordKind;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), expires.ToUnixTimeMilliseconds());
        body.CopyTo(bytes.AsSpan(HeaderSize));
        return bytes;
    }

    /// <summary>
    /// Reads an entry. A marker or an expired entry is a miss; so are bytes it does not understand
    /// (another format version, or damage), which <paramref name="damaged"/> reports.
    /// </summary>
    public static CacheLookup Decode(ReadOnlySpan<byte> bytes, DateTimeOffset now, out bool damaged)
    {
        damaged = false;
        if (bytes.Length == 1 && bytes[0] == InvalidatedKind)
        {
            return CacheLookup.Miss;
        }

        HandleRecord? record = null;
        if (bytes.Length < HeaderSize
            || (bytes[0] == NotFoundKind && bytes.Length != HeaderSize)
            || (bytes[0] == RecordKind && !RecordCodec.TryDecode(bytes[HeaderSize..], out record))
            || bytes[0] is not (RecordKind or NotFoundKind))
        {
            damaged = true;
            return CacheLookup.Miss;
        }

        var left = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(bytes[1..])) - now;
        return left <= TimeSpan.Zero ? CacheLookup.Miss : new CacheLookup(true, record, left);
    }
}
