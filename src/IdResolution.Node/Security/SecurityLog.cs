namespace IdResolution.Node.Security;

/// <summary>Log messages of the authentication schemes; credentials themselves are never logged.</summary>
internal static partial class SecurityLog
{
    [LoggerMessage(EventId = 300, EventName = "CredentialsIgnoredOverPlainHttp", Level = LogLevel.Information,
        Message = "{Scheme} credentials ignored: the request is not over TLS and Security:AllowCredentialsOverPlainHttp is false")]
    public static partial void CredentialsIgnoredOverPlainHttp(ILogger logger, string scheme);

    [LoggerMessage(EventId = 301, EventName = "CredentialsRefused", Level = LogLevel.Information,
        Message = "{Scheme} authentication of {Identity} refused ({Code}): {Reason}")]
    public static partial void CredentialsRefused(ILogger logger, string scheme, string identity, int code, string reason);

    [LoggerMessage(EventId = 302, EventName = "SessionsFull", Level = LogLevel.Warning,
        Message = "No room for another Handle challenge session (Security:HandleSessions:MaxSessions); the challenge was refused with 503")]
    public static partial void SessionsFull(ILogger logger);

    [LoggerMessage(EventId = 303, EventName = "UnadmittedCertificate", Level = LogLevel.Information,
        Message = "Client certificate {Subject} (SHA-256 {Thumbprint}) is not an admitted node's credential")]
    public static partial void UnadmittedCertificate(ILogger logger, string subject, string thumbprint);

    [LoggerMessage(EventId = 304, EventName = "TlsEnabled", Level = LogLevel.Information,
        Message = "TLS on both ports with certificate {Subject} (SHA-256 {Thumbprint}), client certificates {ClientCertificates}")]
    public static partial void TlsEnabled(ILogger logger, string subject, string thumbprint, string clientCertificates);

    [LoggerMessage(EventId = 4, EventName = "AdministratorCreated", Level = LogLevel.Warning,
        Message = "Created the initial administrator account {Name} from configuration; remove the password from the configuration now")]
    public static partial void AdministratorCreated(ILogger logger, string name);

    [LoggerMessage(EventId = 5, EventName = "AdministratorGenerated", Level = LogLevel.Warning,
        Message = "This node had no account: created administrator {Name} with a random password stored in {PasswordFile}; use it to create named administrators, then remove this account")]
    public static partial void AdministratorGenerated(ILogger logger, string name, string passwordFile);
}
