namespace IdResolution.Node.Security;

/// <summary>Bearer tokens (configuration section <c>Security:Tokens</c>).</summary>
internal sealed class TokenOptions
{
    public const string Section = "Security:Tokens";
    public const string Issuer = "idresolution";
    public const string Audience = "idresolution";

    /// <summary>How long a token from POST /identity/token lasts; the ecosystem's convention is 24 hours.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Where the signing keys live. Instances behind one load balancer share this file (or a copy of it).</summary>
    public string KeyRingPath { get; set; } = "./keys/signing-keys.json";
}
