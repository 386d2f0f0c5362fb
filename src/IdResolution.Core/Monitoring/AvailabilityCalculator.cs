namespace IdResolution.Core.Monitoring;

/// <summary>
/// The monthly availability figure, from nothing but its inputs (no clock, no store), so it can be checked by hand:
/// <list type="bullet">
/// <item>observed = the month ∩ [<c>observedFrom</c>, <c>observedUntil</c>) (a node admitted mid-month, or the month still running);</item>
/// <item>excluded = the union of maintenance windows declared before they started, within observed;</item>
/// <item>scheduled = observed − excluded;</item>
/// <item>downtime = the union of incidents (no heartbeat, failed probes, node not running) within scheduled;</item>
/// <item>availability % = (scheduled − downtime) / scheduled × 100.</item>
/// </list>
/// </summary>
public static class AvailabilityCalculator
{
    public static MonthlyReport Calculate(
        string node,
        ReportMonth month,
        TimeRange observedWithin,
        IEnumerable<TimeRange> incidents,
        IEnumerable<MaintenanceWindow> maintenance,
        long registrations,
        long resolutions)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(incidents);
        ArgumentNullException.ThrowIfNull(maintenance);
        var observed = observedWithin.ClipTo(month.Range);
        var windows = maintenance.Where(w => w.When.ClipTo(observed).Length > TimeSpan.Zero).OrderBy(w => w.When.Start).ToList();
        var excluded = TimeRanges.Union(windows.Where(w => w.DeclaredInAdvance).Select(w => w.When.ClipTo(observed)));
        var down = TimeRanges.Union(incidents.Select(i => i.ClipTo(observed)));
        var counted = TimeRanges.Subtract(down, excluded);

        var excludedTime = TimeRanges.Total(excluded);
        var scheduled = observed.Length - excludedTime;
        var downtime = TimeRanges.Total(counted);
        double? availability = scheduled > TimeSpan.Zero ? (scheduled - downtime) / scheduled * 100 : null;
        return new MonthlyReport(node, month, observed, scheduled, downtime, excludedTime, availability, down, windows, registrations, resolutions);
    }

    /// <summary>
    /// Incidents of a node reporting on itself: the gaps in its own alive record (<paramref name="alive"/>: from each
    /// start to the last "still alive" mark), within <paramref name="observed"/>. A gap no longer than
    /// <paramref name="tolerance"/> (the marking interval) is the mark's granularity, not an outage.
    /// </summary>
    public static IReadOnlyList<TimeRange> Gaps(IEnumerable<TimeRange> alive, TimeRange observed, TimeSpan tolerance)
    {
        ArgumentNullException.ThrowIfNull(alive);
        var up = TimeRanges.Union(alive.Select(a => new TimeRange(a.Start, a.End + tolerance).ClipTo(observed)));
        return TimeRanges.Subtract([observed], up);
    }
}
