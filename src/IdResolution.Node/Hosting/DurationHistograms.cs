using System.Diagnostics.Metrics;
using IdResolution.Core.Telemetry;
using OpenTelemetry.Metrics;

namespace IdResolution.Node.Hosting;

/// <summary>
/// Gives every duration histogram the node exports the node's buckets (<see cref="DurationBuckets"/>,
/// 0.1 ms to 10 s): ASP.NET Core's (requests, authentication, rate-limit leases), whose own advice
/// starts at 5 ms, above a cache-hit resolve, and any meter added later that brings none. Connection
/// lifetimes keep ASP.NET Core's buckets (up to 300 s): connections live for minutes or hours, not milliseconds.
/// </summary>
internal static class DurationHistograms
{
    private static readonly HashSet<string> ConnectionLifetimes = new(StringComparer.Ordinal)
    {
        "kestrel.connection.duration",
        "signalr.server.connection.duration",
    };

    /// <summary>An OpenTelemetry view: the node's buckets for a histogram of seconds, the instrument's own for anything else.</summary>
    public static MetricStreamConfiguration? Buckets(Instrument instrument) =>
        instrument is Histogram<double> { Unit: "s" } && !ConnectionLifetimes.Contains(instrument.Name)
            ? new ExplicitBucketHistogramConfiguration { Boundaries = [.. DurationBuckets.Seconds] }
            : null;
}
