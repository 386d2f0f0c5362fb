using Microsoft.Extensions.Logging;

namespace IdResolution.Federation.Telemetry;

/// <summary>
/// What an operator reads about the links to other nodes. Each state change is logged once: a node
/// going unreachable (Warning, once per outage, however often its probe fails), coming back (Information,
/// with the outage's length); single failed calls are Debug, and the metrics count them.
/// </summary>
internal static partial class LinkLog
{
    [LoggerMessage(EventId = 600, EventName = "LinkConfigured", Level = LogLevel.Information,
        Message = "Node-to-node calls: {TimeoutMs} ms per attempt, {TotalMs} ms per call, at most {MaxInFlight} in flight per node; client certificate {ClientCertificate}; plaintext endpoints {Insecure}")]
    public static partial void Configured(ILogger logger, int timeoutMs, int totalMs, int maxInFlight, string clientCertificate, string insecure);

    [LoggerMessage(EventId = 601, EventName = "NodeUnreachable", Level = LogLevel.Warning,
        Message = "Node {Node} is unreachable ({Reason}): circuit opened; its calls are refused at once and answered from stale data, with one probe every {BreakMs} ms until it answers")]
    public static partial void NodeUnreachable(ILogger logger, string node, string reason, int breakMs);

    [LoggerMessage(EventId = 602, EventName = "NodeReachable", Level = LogLevel.Information,
        Message = "Node {Node} answers again after an outage of {Outage}: circuit closed")]
    public static partial void NodeReachable(ILogger logger, string node, TimeSpan outage);

    [LoggerMessage(EventId = 603, EventName = "ProbeFailed", Level = LogLevel.Debug,
        Message = "Node {Node} is still unreachable ({Reason}); next probe in {BreakMs} ms")]
    public static partial void ProbeFailed(ILogger logger, string node, string reason, int breakMs);

    [LoggerMessage(EventId = 604, EventName = "NodeStillUnreachable", Level = LogLevel.Warning,
        Message = "Node {Node} has been unreachable for {Outage} ({Reason})")]
    public static partial void NodeStillUnreachable(ILogger logger, string node, TimeSpan outage, string reason);

    [LoggerMessage(EventId = 605, EventName = "CallFailed", Level = LogLevel.Debug,
        Message = "{Method} to node {Node} at {Endpoint} failed: {Reason}")]
    public static partial void CallFailed(ILogger logger, string method, string node, string endpoint, string reason, Exception exception);

    [LoggerMessage(EventId = 606, EventName = "EndpointRefused", Level = LogLevel.Debug,
        Message = "Endpoint {Endpoint} of node {Node} is not used: {Reason}")]
    public static partial void EndpointRefused(ILogger logger, string endpoint, string node, string reason);

    [LoggerMessage(EventId = 607, EventName = "ChannelOpened", Level = LogLevel.Debug, Message = "Channel to {Endpoint} opened")]
    public static partial void ChannelOpened(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 608, EventName = "ChannelClosed", Level = LogLevel.Debug, Message = "Channel to {Endpoint} closed after {Idle} unused")]
    public static partial void ChannelClosed(ILogger logger, string endpoint, TimeSpan idle);

    [LoggerMessage(EventId = 609, EventName = "UnexpectedFailure", Level = LogLevel.Warning,
        Message = "{Method} to node {Node} failed in an unexpected way; answered as unreachable")]
    public static partial void UnexpectedFailure(ILogger logger, string method, string node, Exception exception);
}
