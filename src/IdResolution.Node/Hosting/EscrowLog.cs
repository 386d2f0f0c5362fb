namespace IdResolution.Node.Hosting;

/// <summary>Log messages of the escrow this node keeps of its children.</summary>
internal static partial class EscrowLog
{
    [LoggerMessage(EventId = 640, EventName = "EscrowOff", Level = LogLevel.Information,
        Message = "Escrow of child nodes is off: {Reason}")]
    public static partial void Off(ILogger logger, string reason);

    [LoggerMessage(EventId = 641, EventName = "EscrowFailing", Level = LogLevel.Warning,
        Message = "Escrow of node {Node} cannot be read; retrying, first in {Delay}: {Reason}")]
    public static partial void Failing(ILogger logger, string node, TimeSpan delay, string reason);

    [LoggerMessage(EventId = 642, EventName = "EscrowResumed", Level = LogLevel.Information,
        Message = "Escrow of node {Node} resumed after {Outage}")]
    public static partial void Resumed(ILogger logger, string node, TimeSpan outage);

    [LoggerMessage(EventId = 643, EventName = "EscrowDumped", Level = LogLevel.Information,
        Message = "Escrow of node {Node} was rebuilt from a dump ({Dumps} read); it follows the change log from position {Position}")]
    public static partial void Dumped(ILogger logger, string node, int dumps, long position);

    [LoggerMessage(EventId = 644, EventName = "EscrowLoopFailed", Level = LogLevel.Error,
        Message = "The escrow loop of node {Node} failed; it starts again in {Delay}")]
    public static partial void LoopFailed(ILogger logger, string node, TimeSpan delay, Exception exception);
}
