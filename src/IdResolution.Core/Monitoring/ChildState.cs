namespace IdResolution.Core.Monitoring;

/// <summary>A child node as its heartbeats show it to its parent.</summary>
public enum ChildState
{
    /// <summary>No heartbeat since the parent started, and three intervals have not passed yet.</summary>
    Unknown,

    /// <summary>The last heartbeat is less than two intervals old.</summary>
    Up,

    /// <summary>No heartbeat for two intervals.</summary>
    Late,

    /// <summary>No heartbeat for three intervals or more.</summary>
    Down,
}
