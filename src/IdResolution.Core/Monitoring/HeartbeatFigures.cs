namespace IdResolution.Core.Monitoring;

/// <summary>What a child node counts since it started (<see cref="StartedAt"/>), sent to its parent with each heartbeat.</summary>
public sealed record HeartbeatFigures(
    long Resolutions,
    long Registrations,
    long Errors,
    TimeSpan Uptime,
    string Version,
    long FeedLastPosition,
    long FilingBacklog,
    DateTimeOffset StartedAt);
