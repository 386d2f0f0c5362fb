namespace IdResolution.Node.Dashboard;

/// <summary>
/// Fixed log-scale buckets for request durations, 50 µs to 60 s, each 20 % wider than the one before:
/// fine enough that a percentile read from them is off by less than a bucket's 20 %, small enough (78
/// counters) to copy once a second.
/// </summary>
internal static class LatencyBuckets
{
    private const double FirstSeconds = 0.00005;
    private const double Growth = 1.2;

    /// <summary>Upper bounds in seconds; a last, open bucket holds anything slower.</summary>
    public static readonly double[] UpperBounds = Bounds();

    public static int Count => UpperBounds.Length + 1;

    public static int IndexOf(double seconds)
    {
        var index = Array.BinarySearch(UpperBounds, seconds);
        return index >= 0 ? index : ~index;
    }

    /// <summary>The <paramref name="quantile"/> (0 to 1) of the counts, in milliseconds, interpolated inside its bucket; 0 without counts.</summary>
    public static double QuantileMs(ReadOnlySpan<long> counts, double quantile)
    {
        long total = 0;
        foreach (var count in counts)
        {
            total += count;
        }

        if (total == 0)
        {
            return 0;
        }

        var rank = quantile * total;
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] == 0 || seen + counts[i] < rank)
            {
                seen += counts[i];
                continue;
            }

            var lower = i == 0 ? 0 : UpperBounds[i - 1];
            var upper = i < UpperBounds.Length ? UpperBounds[i] : lower * Growth;
            var within = Math.Clamp((rank - seen) / counts[i], 0, 1);
            return (lower + ((upper - lower) * within)) * 1000;
        }

        return UpperBounds[^1] * 1000;
    }

    private static double[] Bounds()
    {
        var bounds = new List<double>();
        for (var bound = FirstSeconds; bound < 60; bound *= Growth)
        {
            bounds.Add(bound);
        }

        bounds.Add(60);
        return [.. bounds];
    }
}
