namespace IdResolution.Node.Security;

/// <summary>Settings of the Handle authentication schemes (configuration section <c>Security</c>).</summary>
internal sealed class HandleSecurityOptions
{
    public const string Section = "Security";

    /// <summary>
    /// Whether Basic and Handle credentials count on plain HTTP. Handle.Net ignores credentials
    /// there. True suits development; production should set false and serve TLS (<c>Node:Tls</c>).
    /// </summary>
    public bool AllowCredentialsOverPlainHttp { get; set; } = true;

    public HandleSessionOptions HandleSessions { get; set; } = new();

    public bool AllowsCredentials(HttpRequest request) => AllowCredentialsOverPlainHttp || request.IsHttps;
}

/// <summary>Challenge sessions of the <c>Handle</c> scheme.</summary>
internal sealed class HandleSessionOptions
{
    /// <summary>How long a challenge may be answered, and how long a session stays authenticated after it was.</summary>
    public int LifetimeSeconds { get; set; } = 300;

    /// <summary>Sessions held at most; past this, the oldest make room or a new challenge is refused with 503.</summary>
    public int MaxSessions { get; set; } = 10_000;

    public TimeSpan Lifetime => TimeSpan.FromSeconds(LifetimeSeconds);
}
