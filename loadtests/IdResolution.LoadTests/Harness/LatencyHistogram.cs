using System.Diagnostics;
using HdrHistogram;

namespace IdResolution.LoadTests.Harness;

/// <summary>Latencies in microseconds, from 1 µs to a minute at three significant digits; anything slower is clamped to a minute.</summary>
internal sealed class LatencyHistogram
{
    public const long HighestMicroseconds = 60_000_000;

    private readonly LongHistogram _histogram = new(1, HighestMicroseconds, 3);

    public long Count => _histogram.TotalCount;

    /// <summary>Records the time between two <see cref="Stopwatch"/> timestamps (a negative span counts as zero).</summary>
    public void RecordTicks(long fromTimestamp, long toTimestamp)
    {
        var microseconds = Math.Max(0, toTimestamp - fromTimestamp) * 1_000_000 / Stopwatch.Frequency;
        _histogram.RecordValue(Math.Clamp(microseconds, 1, HighestMicroseconds));
    }

    public void RecordMicroseconds(long microseconds) => _histogram.RecordValue(Math.Clamp(microseconds, 1, HighestMicroseconds));

    public void Add(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        _histogram.Add(other._histogram);
    }

    public LatencySummary Summarize() => _histogram.TotalCount == 0
        ? new LatencySummary(0, 0, 0, 0, 0, 0)
        : new LatencySummary(
            Millis(_histogram.GetValueAtPercentile(50)),
            Millis(_histogram.GetValueAtPercentile(90)),
            Millis(_histogram.GetValueAtPercentile(99)),
            Millis(_histogram.GetValueAtPercentile(99.9)),
            Millis(_histogram.GetMaxValue()),
            _histogram.TotalCount);

    private static double Millis(long microseconds) => microseconds / 1000.0;
}

/// <summary>Percentiles of one run, in milliseconds.</summary>
internal sealed record LatencySummary(double P50, double P90, double P99, double P999, double Max, long Count);
