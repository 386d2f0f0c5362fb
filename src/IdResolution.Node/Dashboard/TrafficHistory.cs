using IdResolution.Core.Telemetry;

namespace IdResolution.Node.Dashboard;

/// <summary>One point of the last hour's charts: averages over <see cref="TrafficHistory.StepSeconds"/> seconds ending at <see cref="Time"/>.</summary>
internal sealed record SeriesPoint(
    DateTimeOffset Time,
    double ResolutionsPerSecond,
    double RegistrationsPerSecond,
    double ErrorsPerSecond,
    double ResolveP50Ms,
    double ResolveP99Ms,
    IReadOnlyDictionary<string, double> HitRatio);

/// <summary>The figures of the last minute, from the running totals a minute apart.</summary>
internal sealed record MinuteFigures(double ResolutionsPerSecond, double RegistrationsPerSecond, double ResolveP50Ms, double ResolveP99Ms);

/// <summary>
/// The last hour in memory: the running totals of each of the last 60 seconds (the minute's rates and
/// percentiles are differences of two of them) and a chart point every <see cref="StepSeconds"/> seconds
/// (720 points). Written by one thread, <see cref="StatusClock"/>, once a second; read by any.
/// </summary>
internal sealed class TrafficHistory
{
    public const int StepSeconds = 5;
    public const int MinuteSeconds = 60;
    public static readonly int Points = 3600 / StepSeconds;

    private readonly object _gate = new();
    private readonly TrafficTotals[] _seconds = new TrafficTotals[MinuteSeconds + 1];
    private readonly SeriesPoint?[] _points = new SeriesPoint?[Points];
    private long _ticks;
    private int _pointCount;
    private int _nextPoint;
    private MinuteFigures _minute = new(0, 0, 0, 0);
    private IReadOnlyList<PrefixCount> _topPrefixes = [];

    public TrafficHistory() => Array.Fill(_seconds, TrafficTotals.Zero);

    public MinuteFigures Minute
    {
        get
        {
            lock (_gate)
            {
                return _minute;
            }
        }
    }

    public IReadOnlyList<PrefixCount> TopPrefixes
    {
        get
        {
            lock (_gate)
            {
                return _topPrefixes;
            }
        }
    }

    /// <summary>The chart points of the last hour, oldest first.</summary>
    public IReadOnlyList<SeriesPoint> Series()
    {
        lock (_gate)
        {
            var series = new List<SeriesPoint>(_pointCount);
            for (var i = 0; i < _pointCount; i++)
            {
                series.Add(_points[(_nextPoint - _pointCount + i + Points) % Points]!);
            }

            return series;
        }
    }

    /// <summary>The newest chart point, or null before the first.</summary>
    public SeriesPoint? Latest
    {
        get
        {
            lock (_gate)
            {
                return _pointCount == 0 ? null : _points[(_nextPoint - 1 + Points) % Points];
            }
        }
    }

    /// <summary>Records one second: the totals now, and the busiest prefixes.</summary>
    public void Tick(DateTimeOffset now, TrafficTotals totals, IReadOnlyList<PrefixCount> topPrefixes)
    {
        lock (_gate)
        {
            _ticks++;
            _seconds[Slot(_ticks)] = totals;
            _topPrefixes = topPrefixes;

            // Always a full minute: in the node's first minute the seconds before its start count as idle.
            var minuteAgo = _seconds[Slot(_ticks - MinuteSeconds)];
            var latency = Difference(totals.Latency, minuteAgo.Latency);
            _minute = new MinuteFigures(
                (totals.Resolutions - minuteAgo.Resolutions) / (double)MinuteSeconds,
                (totals.Registrations - minuteAgo.Registrations) / (double)MinuteSeconds,
                LatencyBuckets.QuantileMs(latency, 0.5),
                LatencyBuckets.QuantileMs(latency, 0.99));

            if (_ticks % StepSeconds == 0)
            {
                _points[_nextPoint] = Point(now, totals, _seconds[Slot(_ticks - StepSeconds)]);
                _nextPoint = (_nextPoint + 1) % Points;
                _pointCount = Math.Min(_pointCount + 1, Points);
            }
        }
    }

    // Seconds before the first tick (negative) land on slots not written yet, which hold zero totals.
    private int Slot(long tick) => (int)(((tick % _seconds.Length) + _seconds.Length) % _seconds.Length);

    private static SeriesPoint Point(DateTimeOffset now, TrafficTotals totals, TrafficTotals before)
    {
        var latency = Difference(totals.Latency, before.Latency);
        var ratios = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (tier, (hits, misses)) in totals.Tiers)
        {
            var (hitsBefore, missesBefore) = before.Tiers.TryGetValue(tier, out var earlier) ? earlier : (0, 0);
            var lookups = hits - hitsBefore + (misses - missesBefore);
            if (lookups > 0)
            {
                ratios[tier] = (hits - hitsBefore) / (double)lookups;
            }
        }

        return new SeriesPoint(
            now,
            (totals.Resolutions - before.Resolutions) / (double)StepSeconds,
            (totals.Registrations - before.Registrations) / (double)StepSeconds,
            (totals.Errors - before.Errors) / (double)StepSeconds,
            LatencyBuckets.QuantileMs(latency, 0.5),
            LatencyBuckets.QuantileMs(latency, 0.99),
            ratios);
    }

    private static long[] Difference(long[] now, long[] before)
    {
        var difference = new long[now.Length];
        for (var i = 0; i < now.Length; i++)
        {
            difference[i] = now[i] - before[i];
        }

        return difference;
    }
}
