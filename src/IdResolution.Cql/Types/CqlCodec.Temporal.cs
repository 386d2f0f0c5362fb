using System.Buffers;
using System.Buffers.Binary;

namespace IdResolution.Cql.Types;

public static partial class CqlCodec
{
    // The date type counts days from 1970-01-01 offset by 2^31, so that it can be unsigned.
    private const long DateEpochOffset = 1L << 31;
    private const long NanosecondsPerDay = 86_400_000_000_000;
    private static readonly int UnixEpochDayNumber = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    /// <summary>timestamp: milliseconds since the Unix epoch; finer precision is truncated.</summary>
    public static void EncodeTimestamp(DateTimeOffset value, IBufferWriter<byte> writer) =>
        EncodeInt64(value.ToUnixTimeMilliseconds(), writer);

    public static DateTimeOffset DecodeTimestamp(ReadOnlySpan<byte> bytes)
    {
        var milliseconds = BinaryPrimitives.ReadInt64BigEndian(Exactly(bytes, 8, "timestamp"));
        try
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new CqlDecodeException($"The timestamp {milliseconds} ms is outside the range of DateTimeOffset.", e);
        }
    }

    public static void EncodeDate(DateOnly value, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var days = (long)value.DayNumber - UnixEpochDayNumber + DateEpochOffset;
        BinaryPrimitives.WriteUInt32BigEndian(writer.GetSpan(4), (uint)days);
        writer.Advance(4);
    }

    public static DateOnly DecodeDate(ReadOnlySpan<byte> bytes)
    {
        var days = BinaryPrimitives.ReadUInt32BigEndian(Exactly(bytes, 4, "date")) - DateEpochOffset;
        var dayNumber = days + UnixEpochDayNumber;
        return dayNumber >= DateOnly.MinValue.DayNumber && dayNumber <= DateOnly.MaxValue.DayNumber
            ? DateOnly.FromDayNumber((int)dayNumber)
            : throw new CqlDecodeException($"The date {days} days from 1970-01-01 is outside the range of DateOnly.");
    }

    /// <summary>time: nanoseconds since midnight.</summary>
    public static void EncodeTime(long nanosecondsOfDay, IBufferWriter<byte> writer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nanosecondsOfDay);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(nanosecondsOfDay, NanosecondsPerDay);
        EncodeInt64(nanosecondsOfDay, writer);
    }

    /// <summary>time: nanoseconds since midnight.</summary>
    public static long DecodeTime(ReadOnlySpan<byte> bytes)
    {
        var nanoseconds = BinaryPrimitives.ReadInt64BigEndian(Exactly(bytes, 8, "time"));
        return nanoseconds is >= 0 and < NanosecondsPerDay
            ? nanoseconds
            : throw new CqlDecodeException($"A time value of {nanoseconds} ns is not within one day.");
    }
}
