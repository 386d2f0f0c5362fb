namespace IdResolution.Node.Api;

/// <summary>Log messages of the gRPC services, source-generated so that disabled levels cost nothing.</summary>
internal static partial class ApiLog
{
    [LoggerMessage(EventId = 2, EventName = "UnhandledRequestError", Level = LogLevel.Error,
        Message = "Request {Method} failed unexpectedly")]
    public static partial void UnhandledRequestError(ILogger logger, string method, Exception exception);

    [LoggerMessage(EventId = 3, EventName = "StoreUnavailable", Level = LogLevel.Warning,
        Message = "Request {Method} could not reach the store")]
    public static partial void StoreUnavailable(ILogger logger, string method, Exception exception);

    [LoggerMessage(EventId = 4, EventName = "DiskFull", Level = LogLevel.Error,
        Message = "Request {Method} was refused because a disk of the node is full; free space on it and writes resume by themselves")]
    public static partial void DiskFull(ILogger logger, string method, Exception exception);

    [LoggerMessage(EventId = 645, EventName = "EscrowPositionAhead", Level = LogLevel.Warning,
        Message = "The parent asked for this node's change log after position {After}, but the log ends at {Last}: this node was restored from an older backup or lost its log, so the parent's escrow copy is told to start over from a dump")]
    public static partial void EscrowPositionAhead(ILogger logger, long after, long last);
}
