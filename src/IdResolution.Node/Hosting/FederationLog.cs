namespace IdResolution.Node.Hosting;

/// <summary>Log messages of this node's duties to its parent (filing, its advertised site).</summary>
internal static partial class FederationLog
{
    [LoggerMessage(EventId = 600, EventName = "SiteAdvertised", Level = LogLevel.Information,
        Message = "Own prefix handle {Handle} now advertises this node's site ({Grpc})")]
    public static partial void SiteAdvertised(ILogger logger, string handle, string grpc);

    [LoggerMessage(EventId = 601, EventName = "SiteNotAdvertised", Level = LogLevel.Warning,
        Message = "Own prefix handle {Handle} could not be updated with this node's site ({Code}): {Reason}")]
    public static partial void SiteNotAdvertised(ILogger logger, string handle, int code, string reason);

    [LoggerMessage(EventId = 602, EventName = "FilingFailed", Level = LogLevel.Warning,
        Message = "Filing with the parent {Parent} did not go through; retrying in {Delay}: {Reason}")]
    public static partial void FilingFailed(ILogger logger, string parent, TimeSpan delay, string reason);

    [LoggerMessage(EventId = 603, EventName = "FilingResumed", Level = LogLevel.Information,
        Message = "Filing with the parent {Parent} resumed after {Outage}")]
    public static partial void FilingResumed(ILogger logger, string parent, TimeSpan outage);

    [LoggerMessage(EventId = 604, EventName = "FilingLoopFailed", Level = LogLevel.Error,
        Message = "The filing loop failed unexpectedly; it starts again in {Delay}")]
    public static partial void FilingLoopFailed(ILogger logger, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 605, EventName = "TakeoverObserved", Level = LogLevel.Warning,
        Message = "The parent {Parent} holds this node under takeover: it answers for this node's prefix read-only and holds its filings and site refreshes until it hands the prefix back: {Detail}")]
    public static partial void TakeoverObserved(ILogger logger, string parent, string detail);

    [LoggerMessage(EventId = 606, EventName = "HandBackObserved", Level = LogLevel.Information,
        Message = "The parent {Parent} handed this node's prefix back; held filings are sent now")]
    public static partial void HandBackObserved(ILogger logger, string parent);
}
