using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace IdResolution.Core.Security;

/// <summary>How a node proves who it is to another node.</summary>
public enum NodeCredentialKind
{
    /// <summary>A node key: ECDSA P-256, whose public part (SubjectPublicKeyInfo) the parent holds; calls carry a signed assertion.</summary>
    Key,

    /// <summary>A TLS client certificate, known to the parent by its SHA-256 thumbprint.</summary>
    Certificate,
}

/// <summary>
/// A child node's credential as its parent stores it: <c>key:&lt;base64 SubjectPublicKeyInfo&gt;</c> or
/// <c>cert:&lt;SHA-256 thumbprint, hex&gt;</c>. A parent holds up to two per child, so a key can be rotated
/// without a moment in which neither works.
/// </summary>
public sealed record NodeCredential(NodeCredentialKind Kind, string Value)
{
    public const int MaxPerNode = 2;

    private const string KeyPrefix = "key:";
    private const string CertificatePrefix = "cert:";

    public static bool TryParse(string? text, [NotNullWhen(true)] out NodeCredential? credential, out string error)
    {
        credential = null;
        text = text?.Trim();
        if (text is not null && text.StartsWith(KeyPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var encoded = text[KeyPrefix.Length..];
            try
            {
                using var key = ECDsa.Create();
                key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(encoded), out _);
                if (key.KeySize != 256)
                {
                    error = "a node key must be ECDSA P-256";
                    return false;
                }
            }
            catch (Exception exception) when (exception is FormatException or CryptographicException)
            {
                error = "the key is not a base64 SubjectPublicKeyInfo of an ECDSA P-256 key, as GetNodeIdentity shows it";
                return false;
            }

            credential = new NodeCredential(NodeCredentialKind.Key, encoded);
            error = string.Empty;
            return true;
        }

        if (text is not null && text.StartsWith(CertificatePrefix, StringComparison.OrdinalIgnoreCase))
        {
            var thumbprint = text[CertificatePrefix.Length..].Replace(":", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
            if (thumbprint.Length != 64 || !thumbprint.All(Uri.IsHexDigit))
            {
                error = "a certificate credential is cert: followed by the 64 hex digits of its SHA-256 thumbprint";
                return false;
            }

            credential = new NodeCredential(NodeCredentialKind.Certificate, thumbprint);
            error = string.Empty;
            return true;
        }

        error = "a node credential is key:<base64 public key> or cert:<SHA-256 thumbprint>";
        return false;
    }

    /// <summary>The credential of an ECDSA node key, as a parent's operator admits it.</summary>
    public static NodeCredential ForKey(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new NodeCredential(NodeCredentialKind.Key, Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>Kind and the first bytes of the credential's SHA-256: enough for an operator to tell credentials apart, nothing to misuse.</summary>
    public string Fingerprint
    {
        get
        {
            var material = Kind == NodeCredentialKind.Key ? SHA256.HashData(Convert.FromBase64String(Value)) : Convert.FromHexString(Value);
            return (Kind == NodeCredentialKind.Key ? KeyPrefix : CertificatePrefix) + Convert.ToHexString(material, 0, 8).ToLowerInvariant();
        }
    }

    public override string ToString() => (Kind == NodeCredentialKind.Key ? KeyPrefix : CertificatePrefix) + Value;
}
