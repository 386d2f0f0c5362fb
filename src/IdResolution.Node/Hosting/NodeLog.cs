namespace IdResolution.Node.Hosting;

/// <summary>The node's log messages, source-generated so that disabled levels cost nothing.</summary>
internal static partial class NodeLog
{
    [LoggerMessage(EventId = 1, EventName = "NodeStarting", Level = LogLevel.Information,
        Message = "IdResolution node starting: HTTP/JSON on {HttpEndpoint}, gRPC (HTTP/2) on {GrpcEndpoint}, store {Store}, cache {Cache}")]
    public static partial void NodeStarting(ILogger logger, string httpEndpoint, string grpcEndpoint, string store, string cache);

    [LoggerMessage(EventId = 2, EventName = "NodeIdentity", Level = LogLevel.Information,
        Message = "Node {Prefix} ({Role}): node key {KeyPath}, credential fingerprint {Fingerprint} (GET /v1/admin/node shows the credential to admit it with)")]
    public static partial void NodeIdentity(ILogger logger, string prefix, string role, string keyPath, string fingerprint);

    [LoggerMessage(EventId = 6, EventName = "StoreReadsStalled", Level = LogLevel.Warning,
        Message = "Store reads are stalled on purpose: one read in {Every} freezes reads for {Milliseconds} ms (Store:StallMilliseconds, a test and diagnostic setting; unset it on a node that serves anyone)")]
    public static partial void StoreReadsStalled(ILogger logger, int every, int milliseconds);

    [LoggerMessage(EventId = 9, EventName = "CannotStart", Level = LogLevel.Critical, Message = "The node cannot start: {Reasons}")]
    public static partial void CannotStart(ILogger logger, string reasons);

    /// <summary>An exception's message and its causes', outermost first.</summary>
    public static string Reasons(Exception failure)
    {
        var reasons = new List<string>();
        for (Exception? cause = failure; cause is not null; cause = cause.InnerException)
        {
            reasons.Add(cause.Message);
        }

        return string.Join(" <- ", reasons.Distinct());
    }
}
