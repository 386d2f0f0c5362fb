namespace IdResolution.Node.Hosting;

/// <summary>Log messages of the operations reporting (alive marks, heartbeats).</summary>
internal static partial class DutiesLog
{
    [LoggerMessage(EventId = 700, EventName = "AliveMarkFailed", Level = LogLevel.Warning,
        Message = "This node's alive mark could not be written to the operations journal; the next one is tried in {Delay}")]
    public static partial void AliveMarkFailed(ILogger logger, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 701, EventName = "HeartbeatFailed", Level = LogLevel.Warning,
        Message = "The heartbeat to the parent {Parent} did not go through; the next is sent in {Delay}: {Reason}")]
    public static partial void HeartbeatFailed(ILogger logger, string parent, TimeSpan delay, string reason);

    [LoggerMessage(EventId = 702, EventName = "HeartbeatResumed", Level = LogLevel.Information,
        Message = "Heartbeats to the parent {Parent} go through again after {Outage}")]
    public static partial void HeartbeatResumed(ILogger logger, string parent, TimeSpan outage);

    [LoggerMessage(EventId = 703, EventName = "ChildProbeFailed", Level = LogLevel.Warning,
        Message = "The child node {Child} does not answer this node's probes; each failed probe is an incident in its monthly report: {Reason}")]
    public static partial void ChildProbeFailed(ILogger logger, string child, string reason);

    [LoggerMessage(EventId = 704, EventName = "ChildProbeResumed", Level = LogLevel.Information,
        Message = "The child node {Child} answers this node's probes again after {Outage}")]
    public static partial void ChildProbeResumed(ILogger logger, string child, TimeSpan outage);

    [LoggerMessage(EventId = 705, EventName = "ChildProbeRoundFailed", Level = LogLevel.Warning,
        Message = "A round of child probes failed; the next is in {Delay}")]
    public static partial void ChildProbeRoundFailed(ILogger logger, TimeSpan delay, Exception exception);
}
