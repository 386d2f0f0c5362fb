using System.Buffers.Binary;
using System.Text;

namespace IdResolution.Storage.Embedded;

/// <summary>
/// Key spaces inside the one RocksDB keyspace. Records live under <c>r:</c>; a listing index under
/// <c>l:</c> maps each key to its display spelling, so a prefix listing is a short range scan that
/// never decodes a record; <c>c:</c> holds the number of handles of each prefix, so counting is one
/// read; <c>f:</c> holds the change log by position (<see cref="ChangeLog"/>). All four are written in
/// the same batch, so they cannot disagree. <c>n:</c> holds the node's cursors, written on their own.
/// </summary>
internal static class KeyLayout
{
    // Strict: a lenient encoder would map distinct malformed keys onto the same bytes.
    public static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Present once every prefix's counter is kept; a database written before counters existed lacks it.</summary>
    public static readonly byte[] CountsKept = "m:counts-kept"u8.ToArray();

    /// <summary>The listing space, every prefix: from <c>l:</c> up to <c>l;</c> (';' is the byte after ':').</summary>
    public static readonly byte[] ListingSpaceStart = "l:"u8.ToArray();

    public static readonly byte[] ListingSpaceEnd = "l;"u8.ToArray();

    /// <summary>The record space, every key: from <c>r:</c> up to <c>r;</c>.</summary>
    public static readonly byte[] RecordSpaceStart = "r:"u8.ToArray();

    public static readonly byte[] RecordSpaceEnd = "r;"u8.ToArray();

    public static readonly byte[] CountSpaceStart = "c:"u8.ToArray();

    public static readonly byte[] CountSpaceEnd = "c;"u8.ToArray();

    /// <summary>The change log, every position: from <c>f:</c> up to <c>f;</c>.</summary>
    public static readonly byte[] ChangeSpaceEnd = "f;"u8.ToArray();

    /// <summary>The position of the newest change log entry (0 before the first).</summary>
    public static readonly byte[] ChangesLast = "m:changes-last"u8.ToArray();

    /// <summary>The newest position retention has dropped (0 before the first trim).</summary>
    public static readonly byte[] ChangesTrimmed = "m:changes-trimmed"u8.ToArray();

    public static byte[] Record(string key) => Compose("r:", key, null);

    public static string KeyOfRecord(ReadOnlySpan<byte> recordKey) => Utf8.GetString(recordKey[2..]);

    /// <summary>A change log entry: <c>f:</c> and the position big-endian, so key order is position order.</summary>
    public static byte[] Change(long position)
    {
        var bytes = new byte[2 + sizeof(long)];
        bytes[0] = (byte)'f';
        bytes[1] = (byte)':';
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(2), position);
        return bytes;
    }

    public static long PositionOfChange(ReadOnlySpan<byte> changeKey) => BinaryPrimitives.ReadInt64BigEndian(changeKey[2..]);

    /// <summary>A cursor of the node (<see cref="Core.Storage.INodeState"/>).</summary>
    public static byte[] Cursor(string name) => Compose("n:", name, null);

    public static byte[] Listing(string key) => Compose("l:", key, null);

    /// <summary>The counter of one prefix: a little-endian 64-bit number of handles.</summary>
    public static byte[] Count(string prefixKey) => Compose("c:", prefixKey, null);

    /// <summary>The prefix part of a handle key (<c>prefix/suffix</c>), whose counter the handle is in; null for a key without one.</summary>
    public static string? PrefixOf(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? key[..slash] : null;
    }

    /// <summary>The first listing key of a prefix: every handle key is <c>prefix/suffix</c>.</summary>
    public static byte[] ListingStart(string prefixKey) => Compose("l:", prefixKey, (byte)'/');

    /// <summary>The first key past a prefix's range ('0' is the byte after '/').</summary>
    public static byte[] ListingEnd(string prefixKey) => Compose("l:", prefixKey, (byte)'0');

    /// <summary>The smallest key strictly after <paramref name="key"/>, so a cursor is never listed twice.</summary>
    public static byte[] ListingAfter(string key) => Compose("l:", key, 0);

    public static string KeyOfListing(ReadOnlySpan<byte> listingKey) => Utf8.GetString(listingKey[2..]);

    private static byte[] Compose(string space, string key, byte? tail)
    {
        var length = space.Length + Utf8.GetByteCount(key) + (tail is null ? 0 : 1);
        var bytes = new byte[length];
        var written = Encoding.ASCII.GetBytes(space, bytes);
        written += Utf8.GetBytes(key, bytes.AsSpan(written));
        if (tail is { } last)
        {
            bytes[written] = last;
        }

        return bytes;
    }
}
