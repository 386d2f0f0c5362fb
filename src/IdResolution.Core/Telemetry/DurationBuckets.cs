using System.Diagnostics.Metrics;

namespace IdResolution.Core.Telemetry;

/// <summary>
/// Bucket boundaries of every duration histogram the node exports, from 0.1 ms to 10 s. The
/// OpenTelemetry default (0 to 10,000 s) puts every store write, cache call and resolve of this node
/// in its first bucket, where a 1 ms write and a 4 s one look alike.
/// </summary>
public static class DurationBuckets
{
    /// <summary>The boundaries in seconds, ascending.</summary>
    public static IReadOnlyList<double> Seconds { get; } = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>For <see cref="Meter.CreateHistogram{T}(string, string?, string?, IEnumerable{KeyValuePair{string, object?}}?, InstrumentAdvice{T}?)"/>.</summary>
    public static InstrumentAdvice<double> Advice { get; } = new() { HistogramBucketBoundaries = Seconds };
}
