namespace IdResolution.Core.Monitoring;

/// <summary>A child's state, since when it is in it, and its last heartbeat (null when none came since the parent started).</summary>
public sealed record ChildHeartbeatStatus(string Prefix, ChildState State, DateTimeOffset Since, DateTimeOffset? LastHeartbeat, HeartbeatFigures? Figures);
