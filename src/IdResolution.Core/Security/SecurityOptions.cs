namespace IdResolution.Core.Security;

/// <summary>What this node is and who runs it (configuration section <c>Security</c>).</summary>
public sealed class SecurityOptions
{
    /// <summary>The prefix this node holds; enterprise prefixes are allocated one level below it (88.709 → 88.709.911).</summary>
    public string NodePrefix { get; set; } = "88.709";

    /// <summary>Password hashing work factor (PBKDF2-HMAC-SHA256); OWASP's 2023 figure is 600,000.</summary>
    public int PasswordIterations { get; set; } = 600_000;
}
