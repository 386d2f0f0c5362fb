namespace IdResolution.Node.HandleApi;

/// <summary>Log messages of the Handle.Net REST API, source-generated so that disabled levels cost nothing.</summary>
internal static partial class HandleApiLog
{
    [LoggerMessage(EventId = 400, EventName = "ListingInterrupted", Level = LogLevel.Warning,
        Message = "The listing of prefix {Prefix} stopped after {Sent} handles had been sent ({Code}: {Reason}); the connection was aborted so the client cannot take part of the list for all of it")]
    public static partial void ListingInterrupted(ILogger logger, string prefix, long sent, int code, string reason);
}
