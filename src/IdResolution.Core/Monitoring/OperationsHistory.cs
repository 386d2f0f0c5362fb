namespace IdResolution.Core.Monitoring;

/// <summary>
/// What the journal holds of one node for one month: since when it is known (<see cref="FirstSeen"/>, null when never),
/// its alive spans (each run's start to its last mark), the maintenance windows that touch the month, and its counts.
/// <see cref="ProbeFailures"/> are the stretches its parent's probes of it failed (children only).
/// </summary>
public sealed record OperationsHistory(
    DateTimeOffset? FirstSeen,
    IReadOnlyList<TimeRange> Alive,
    IReadOnlyList<MaintenanceWindow> Maintenance,
    long Registrations,
    long Resolutions)
{
    public IReadOnlyList<TimeRange> ProbeFailures { get; init; } = [];
}
