using System.Net;
using Microsoft.Extensions.Logging;

namespace IdResolution.Cql.Cluster;

/// <summary>
/// What the client tells an operator. Stable event ids (500–529), so alerts can match them: a node going
/// down is one Warning per outage and its return one Information with the outage's length; attempts in
/// between are Debug, with at most one "still down" Warning per node every few minutes.
/// </summary>
internal static partial class CqlLog
{
    public const string Category = "IdResolution.Cql";

    [LoggerMessage(EventId = 500, EventName = "NodeDown", Level = LogLevel.Warning,
        Message = "Cassandra node {Node} is DOWN: {Cause}. Reconnecting with back-off, next attempt in {RetryMs} ms")]
    public static partial void NodeDown(ILogger logger, EndPoint node, string cause, long retryMs);

    [LoggerMessage(EventId = 501, EventName = "NodeUp", Level = LogLevel.Information,
        Message = "Cassandra node {Node} is UP again after {OutageSeconds} s down and {Attempts} reconnect attempts")]
    public static partial void NodeUp(ILogger logger, EndPoint node, double outageSeconds, int attempts);

    [LoggerMessage(EventId = 502, EventName = "ReconnectFailed", Level = LogLevel.Debug,
        Message = "Reconnect attempt {Attempt} to Cassandra node {Node} failed: {Cause}; next attempt in {RetryMs} ms")]
    public static partial void ReconnectFailed(ILogger logger, int attempt, EndPoint node, string cause, long retryMs);

    [LoggerMessage(EventId = 503, EventName = "NodeStillDown", Level = LogLevel.Warning,
        Message = "Cassandra node {Node} is still DOWN after {OutageSeconds} s and {Attempts} reconnect attempts: {Cause}")]
    public static partial void NodeStillDown(ILogger logger, EndPoint node, double outageSeconds, int attempts, string cause);

    [LoggerMessage(EventId = 504, EventName = "Reconnecting", Level = LogLevel.Debug,
        Message = "Reconnecting to Cassandra node {Node} (attempt {Attempt}, {Reason})")]
    public static partial void Reconnecting(ILogger logger, EndPoint node, int attempt, string reason);

    [LoggerMessage(EventId = 505, EventName = "ConnectionRefusedLoudly", Level = LogLevel.Warning,
        Message = "Cassandra node {Node} refused the connection ({Cause}); this needs an operator (credentials, TLS or protocol), reconnection goes on")]
    public static partial void ConnectionRefusedLoudly(ILogger logger, EndPoint node, string cause);

    [LoggerMessage(EventId = 510, EventName = "ControlConnectionLost", Level = LogLevel.Warning,
        Message = "The control connection to {Node} closed: {Cause}; moving it to another node")]
    public static partial void ControlConnectionLost(ILogger logger, EndPoint node, string cause);

    [LoggerMessage(EventId = 511, EventName = "ControlConnectionMoved", Level = LogLevel.Information,
        Message = "The control connection moved from {From} to {To}")]
    public static partial void ControlConnectionMoved(ILogger logger, EndPoint from, EndPoint to);

    [LoggerMessage(EventId = 512, EventName = "ControlConnectionRetry", Level = LogLevel.Warning,
        Message = "No node took the control connection ({Cause}); trying again in {RetryMs} ms")]
    public static partial void ControlConnectionRetry(ILogger logger, string cause, long retryMs);

    [LoggerMessage(EventId = 513, EventName = "TopologyChanged", Level = LogLevel.Information,
        Message = "Cassandra topology of data centre {DataCenter} changed: joined [{Joined}], left [{Left}]; {Count} nodes now")]
    public static partial void TopologyChanged(ILogger logger, string dataCenter, string joined, string left, int count);

    [LoggerMessage(EventId = 514, EventName = "TopologyReadFailed", Level = LogLevel.Warning,
        Message = "Reading the Cassandra topology failed: {Cause}; the next event or reconciliation reads it again")]
    public static partial void TopologyReadFailed(ILogger logger, string cause);

    [LoggerMessage(EventId = 515, EventName = "NodeEvent", Level = LogLevel.Debug,
        Message = "Cassandra reported {Event} {Change} for {Node}")]
    public static partial void NodeEvent(ILogger logger, string @event, string change, EndPoint node);

    [LoggerMessage(EventId = 520, EventName = "SchemaAgreementWaiting", Level = LogLevel.Debug,
        Message = "Waiting for schema agreement: {Versions}")]
    public static partial void SchemaAgreementWaiting(ILogger logger, string versions);

    [LoggerMessage(EventId = 521, EventName = "SchemaAgreementReached", Level = LogLevel.Information,
        Message = "Schema agreement reached after {ElapsedMs} ms: {Versions}")]
    public static partial void SchemaAgreementReached(ILogger logger, long elapsedMs, string versions);

    [LoggerMessage(EventId = 522, EventName = "SchemaAgreementFailed", Level = LogLevel.Warning,
        Message = "Schema agreement not reached within {TimeoutMs} ms: {Versions}")]
    public static partial void SchemaAgreementFailed(ILogger logger, long timeoutMs, string versions);
}
