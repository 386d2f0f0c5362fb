using Microsoft.Extensions.Logging;

namespace IdResolution.Caching.Redis;

internal static partial class RedisCacheLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Redis cache tier configured: {Endpoints}; calls time out after {TimeoutMs} ms")]
    public static partial void Configured(ILogger logger, string endpoints, int timeoutMs);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "Redis is failing or slow: circuit opened, resolving from the store for {BreakMs} ms before probing again")]
    public static partial void CircuitOpened(ILogger logger, int breakMs);

    [LoggerMessage(EventId = 402, Level = LogLevel.Information, Message = "Redis answers again: circuit closed")]
    public static partial void CircuitClosed(ILogger logger);

    [LoggerMessage(EventId = 403, Level = LogLevel.Warning, Message = "Redis connection lost ({ConnectionType} to {EndPoint}): {FailureType}")]
    public static partial void ConnectionLost(ILogger logger, string connectionType, string? endPoint, string failureType);

    [LoggerMessage(EventId = 404, Level = LogLevel.Information, Message = "Redis connection restored ({ConnectionType} to {EndPoint})")]
    public static partial void ConnectionRestored(ILogger logger, string connectionType, string? endPoint);

    [LoggerMessage(EventId = 405, Level = LogLevel.Error, Message = "More than {Limit} invalidations waited for Redis; further ones are dropped, so Redis may serve records up to Cache:MaxTtlSeconds old until they expire")]
    public static partial void PendingOverflow(ILogger logger, int limit);

    [LoggerMessage(EventId = 406, Level = LogLevel.Information, Message = "Sent {Count} invalidations that waited for Redis")]
    public static partial void PendingSent(ILogger logger, int count);

    [LoggerMessage(EventId = 407, Level = LogLevel.Warning, Message = "Could not subscribe to Redis channel {Channel}; retrying")]
    public static partial void SubscribeFailed(ILogger logger, string channel, Exception exception);
}
