using System.Security.Cryptography;

namespace IdResolution.Storage.Cassandra;

/// <summary>
/// Positions of the Cassandra change log: microseconds since 1970 times 1024 plus a number of the writing
/// process (0–1023, drawn at random when the store opens), so two instances rarely draw the same position
/// and one instance never does (its microseconds only grow). That fits a signed 64-bit number until 2255.
/// Rows are partitioned by the hour of their position.
/// </summary>
internal sealed class ChangePositions(TimeProvider time)
{
    public const int WriterBits = 10;
    private const long MicrosecondsPerHour = 3_600_000_000;

    private readonly int _writer = RandomNumberGenerator.GetInt32(1 << WriterBits);
    private long _lastMicroseconds;

    /// <summary>A new position, later than every one this instance drew before.</summary>
    public long Next()
    {
        var now = Microseconds(time.GetUtcNow());
        while (true)
        {
            var last = Volatile.Read(ref _lastMicroseconds);
            var next = Math.Max(now, last + 1);
            if (Interlocked.CompareExchange(ref _lastMicroseconds, next, last) == last)
            {
                return (next << WriterBits) | (long)_writer;
            }
        }
    }

    /// <summary>The newest position a row written at <paramref name="moment"/> can have.</summary>
    public static long LastAt(DateTimeOffset moment) => (Microseconds(moment) << WriterBits) | ((1L << WriterBits) - 1);

    /// <summary>The oldest position a row written at <paramref name="moment"/> can have.</summary>
    public static long FirstAt(DateTimeOffset moment) => Microseconds(moment) << WriterBits;

    public static DateTimeOffset TimeOf(long position) =>
        DateTimeOffset.UnixEpoch.AddTicks((position >> WriterBits) * TimeSpan.TicksPerMicrosecond);

    public static long Bucket(long position) => (position >> WriterBits) / MicrosecondsPerHour;

    public static long FirstOf(long bucket) => (bucket * MicrosecondsPerHour) << WriterBits;

    public static long LastOf(long bucket) => FirstOf(bucket + 1) - 1;

    private static long Microseconds(DateTimeOffset moment) => (moment - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;
}
