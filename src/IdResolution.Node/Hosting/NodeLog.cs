namespace IdResolution.Node.Hosting;

/// <summary>The node's log messages, source-generated so that disabled levels cost nothing.</summary>
internal static partial class NodeLog
{
    [LoggerMessage(EventId = 1, EventName = "NodeStarting", Level = LogLevel.Information,
        Message = "IdResolution node starting: HTTP/JSON on {HttpEndpoint}, gRPC (HTTP/2) on {GrpcEndpoint}, store {Store}, cache {Cache}")]
    public static partial void NodeStarting(ILogger logger, string httpEndpoint, string grpcEndpoint, string store, string cache);

    [LoggerMessage(EventId = 2, EventName = "UnhandledRequestError", Level = LogLevel.Error,
        Message = "Request {Method} failed unexpectedly")]
    public static partial void UnhandledRequestError(ILogger logger, string method, Exception exception);

    [LoggerMessage(EventId = 3, EventName = "StoreUnavailable", Level = LogLevel.Warning,
        Message = "Request {Method} could not reach the store")]
    public static partial void StoreUnavailable(ILogger logger, string method, Exception exception);

    [LoggerMessage(EventId = 4, EventName = "AdministratorCreated", Level = LogLevel.Warning,
        Message = "Created the initial administrator account {Name} from configuration; remove the password from the configuration now")]
    public static partial void AdministratorCreated(ILogger logger, string name);

    [LoggerMessage(EventId = 5, EventName = "AdministratorGenerated", Level = LogLevel.Warning,
        Message = "This node had no account: created administrator {Name} with a random password stored in {PasswordFile}; use it to create named administrators, then remove this account")]
    public static partial void AdministratorGenerated(ILogger logger, string name, string passwordFile);

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
