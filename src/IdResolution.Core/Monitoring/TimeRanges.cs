namespace IdResolution.Core.Monitoring;

/// <summary>Set arithmetic on time ranges, so overlapping incidents or windows are never counted twice.</summary>
internal static class TimeRanges
{
    /// <summary>The non-empty ranges merged where they overlap or touch, in order.</summary>
    public static List<TimeRange> Union(IEnumerable<TimeRange> ranges)
    {
        var merged = new List<TimeRange>();
        foreach (var range in ranges.Where(r => r.Length > TimeSpan.Zero).OrderBy(r => r.Start))
        {
            if (merged.Count > 0 && range.Start <= merged[^1].End)
            {
                var last = merged[^1];
                merged[^1] = last with { End = range.End > last.End ? range.End : last.End };
            }
            else
            {
                merged.Add(range);
            }
        }

        return merged;
    }

    /// <summary>The parts of <paramref name="ranges"/> (a union) outside every range of <paramref name="removed"/> (a union).</summary>
    public static List<TimeRange> Subtract(List<TimeRange> ranges, List<TimeRange> removed)
    {
        var left = new List<TimeRange>();
        foreach (var range in ranges)
        {
            var start = range.Start;
            foreach (var cut in removed.Where(c => c.End > range.Start && c.Start < range.End))
            {
                if (cut.Start > start)
                {
                    left.Add(new TimeRange(start, cut.Start));
                }

                start = cut.End > start ? cut.End : start;
            }

            if (range.End > start)
            {
                left.Add(new TimeRange(start, range.End));
            }
        }

        return left;
    }

    public static TimeSpan Total(IEnumerable<TimeRange> ranges) =>
        ranges.Aggregate(TimeSpan.Zero, (sum, range) => sum + range.Length);
}
