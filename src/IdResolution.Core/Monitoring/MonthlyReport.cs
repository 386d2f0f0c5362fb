namespace IdResolution.Core.Monitoring;

/// <summary>
/// A node's month: what was observed, what was excluded as declared maintenance, and how much of the rest it
/// served. <see cref="AvailabilityPercent"/> is null when nothing was left to measure (e.g. a month that is all maintenance).
/// </summary>
public sealed record MonthlyReport(
    string Node,
    ReportMonth Month,
    TimeRange Observed,
    TimeSpan Scheduled,
    TimeSpan Downtime,
    TimeSpan Excluded,
    double? AvailabilityPercent,
    IReadOnlyList<TimeRange> Incidents,
    IReadOnlyList<MaintenanceWindow> Maintenance,
    long Registrations,
    long Resolutions)
{
    /// <summary>Hours the node was in service within the scheduled time.</summary>
    public double OperatingHours => (Scheduled - Downtime).TotalHours;
}
