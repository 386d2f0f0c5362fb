using IdResolution.Core.Composition;

namespace IdResolution.Node.Security;

/// <summary>The allowed values of the host's security settings: <c>Node:Tls</c>, <c>Security</c> (Handle schemes) and <c>Security:Tokens</c>.</summary>
internal static class SecuritySettingsValidation
{
    public static void Check(NodeTlsOptions options, SettingProblems problems)
    {
        const string section = NodeTlsOptions.Section;
        var known = Enum.IsDefined(options.ClientCertificates);
        problems.Check(known, $"{section}:ClientCertificates", options.ClientCertificates.ToString(), "None, Allow or Require");
        if (string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            problems.Check(!known || options.ClientCertificates == ClientCertificates.None, $"{section}:ClientCertificates", options.ClientCertificates.ToString(),
                $"None while {section}:CertificatePath is empty: client certificates exist only over TLS");
            problems.Check(string.IsNullOrWhiteSpace(options.KeyPath), $"{section}:KeyPath", options.KeyPath, $"empty while {section}:CertificatePath is empty");
            return;
        }

        problems.Check(File.Exists(options.CertificatePath), $"{section}:CertificatePath", options.CertificatePath, "a PKCS#12 (.pfx) or PEM certificate file the node can read");
        if (!string.IsNullOrWhiteSpace(options.KeyPath))
        {
            problems.Check(File.Exists(options.KeyPath), $"{section}:KeyPath", options.KeyPath, "the PEM private key file of the certificate");
        }
    }

    public static void Check(HandleSecurityOptions options, SettingProblems problems)
    {
        const string section = HandleSecurityOptions.Section;
        problems.Range($"{section}:HandleSessions:LifetimeSeconds", options.HandleSessions.LifetimeSeconds, 1, 86_400);
        problems.Range($"{section}:HandleSessions:MaxSessions", options.HandleSessions.MaxSessions, 1, 10_000_000);
    }

    public static void Check(TokenOptions options, SettingProblems problems)
    {
        const string section = TokenOptions.Section;
        problems.Check(options.Lifetime >= TimeSpan.FromMinutes(1) && options.Lifetime <= TimeSpan.FromDays(30), $"{section}:Lifetime", options.Lifetime,
            "00:01:00 to 30.00:00:00 (one minute to 30 days)");
        problems.Required($"{section}:KeyRingPath", options.KeyRingPath, "the file of the token signing keys, e.g. ./keys/signing-keys.json");
    }
}
