using System.Buffers.Binary;
using System.Security.Cryptography;

namespace IdResolution.Cql.Types;

/// <summary>
/// Version-1 (time-based) UUIDs, as CQL's timeuuid orders them: by the 60-bit count of 100 ns
/// intervals since 1582-10-15, then by clock sequence and node.
/// </summary>
public static class TimeUuid
{
    private const long MaxTimestamp = (1L << 60) - 1;
    private static readonly long GregorianEpochTicks = new DateTime(1582, 10, 15, 0, 0, 0, DateTimeKind.Utc).Ticks;

    // One random node and clock sequence per process stand in for a MAC address (RFC 4122 §4.5): they
    // keep two processes apart, and the strictly rising timestamp keeps this process's own UUIDs apart.
    private static readonly byte[] ProcessNode = RandomNode();
    private static readonly int ProcessClockSequence = RandomNumberGenerator.GetInt32(1 << 14);
    private static long s_lastTimestamp;

    /// <summary>A time UUID for now, distinct from every other one this process made, even within a tick.</summary>
    public static Guid NewGuid() => NewGuid(TimeProvider.System);

    public static Guid NewGuid(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var now = ToTimestamp(timeProvider.GetUtcNow());
        long last, next;
        do
        {
            last = Interlocked.Read(ref s_lastTimestamp);
            next = Math.Max(now, last + 1);
        }
        while (Interlocked.CompareExchange(ref s_lastTimestamp, next, last) != last);
        return Build(next, ProcessClockSequence, ProcessNode);
    }

    /// <summary>A time UUID for a given instant, with a random clock sequence and node.</summary>
    public static Guid Create(DateTimeOffset time) =>
        Build(ToTimestamp(time), RandomNumberGenerator.GetInt32(1 << 14), RandomNode());

    public static bool IsTimeUuid(Guid value) => value.Version == 1 && (value.Variant & 0xC) == 0x8;

    /// <summary>The instant a time UUID was made for, to 100 ns.</summary>
    public static DateTimeOffset GetTimestamp(Guid value)
    {
        if (!IsTimeUuid(value))
        {
            throw new ArgumentException($"{value} is not a version-1 RFC 4122 UUID.", nameof(value));
        }

        Span<byte> bytes = stackalloc byte[16];
        value.TryWriteBytes(bytes, bigEndian: true, out _);
        var timeLow = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        var timeMid = BinaryPrimitives.ReadUInt16BigEndian(bytes[4..]);
        var timeHigh = BinaryPrimitives.ReadUInt16BigEndian(bytes[6..]) & 0x0FFF;
        var timestamp = ((long)timeHigh << 48) | ((long)timeMid << 32) | timeLow;
        var ticks = GregorianEpochTicks + timestamp;
        return ticks <= DateTimeOffset.MaxValue.UtcTicks
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : throw new ArgumentException($"{value} is beyond the range of DateTimeOffset.", nameof(value));
    }

    internal static Guid Build(long timestamp, int clockSequence, ReadOnlySpan<byte> node)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)timestamp);
        BinaryPrimitives.WriteUInt16BigEndian(bytes[4..], (ushort)(timestamp >> 32));
        BinaryPrimitives.WriteUInt16BigEndian(bytes[6..], (ushort)(((timestamp >> 48) & 0x0FFF) | 0x1000));
        bytes[8] = (byte)(0x80 | ((clockSequence >> 8) & 0x3F));
        bytes[9] = (byte)clockSequence;
        node[..6].CopyTo(bytes[10..]);
        return new Guid(bytes, bigEndian: true);
    }

    internal static long ToTimestamp(DateTimeOffset time)
    {
        var timestamp = time.UtcTicks - GregorianEpochTicks;
        return timestamp is >= 0 and <= MaxTimestamp
            ? timestamp
            : throw new ArgumentOutOfRangeException(nameof(time), time, "A time UUID holds instants from 1582-10-15 to 5236-03-31.");
    }

    private static byte[] RandomNode()
    {
        var node = RandomNumberGenerator.GetBytes(6);

        // The multicast bit marks a node id that is not a real MAC address (RFC 4122 §4.5).
        node[0] |= 0x01;
        return node;
    }
}
