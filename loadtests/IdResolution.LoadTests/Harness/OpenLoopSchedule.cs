using System.Diagnostics;

namespace IdResolution.LoadTests.Harness;

/// <summary>
/// A constant arrival rate: request <c>i</c> is due at <c>start + i / rate</c> whether or not earlier ones have
/// answered. Latency is counted from that intended time, so a stall shows in every request that should have been
/// sent during it (coordinated omission cannot hide it), not only in the one that was waiting.
/// </summary>
internal sealed class OpenLoopSchedule
{
    private readonly double _ticksPerRequest;

    public OpenLoopSchedule(long startTimestamp, double ratePerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerSecond);
        Start = startTimestamp;
        Rate = ratePerSecond;
        _ticksPerRequest = Stopwatch.Frequency / ratePerSecond;
    }

    public long Start { get; }

    public double Rate { get; }

    /// <summary>When request <paramref name="index"/> should be sent.</summary>
    public long IntendedAt(long index) => Start + (long)(index * _ticksPerRequest);

    /// <summary>How many requests are due by <paramref name="timestamp"/> (the count of indexes whose intended time has come).</summary>
    public long DueBy(long timestamp) => timestamp < Start ? 0 : (long)((timestamp - Start) / _ticksPerRequest) + 1;
}
