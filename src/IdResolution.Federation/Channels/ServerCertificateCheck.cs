using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IdResolution.Federation.Channels;

/// <summary>
/// Judges the certificate a remote endpoint presents. With pins, the certificate must be one of them and
/// chain errors are ignored (nodes commonly use self-signed certificates); without, the usual chain
/// validation applies. Either way the certificate must name <see cref="ExpectedName"/>: the site's TLS
/// name when it has one, else the URL's host.
/// </summary>
internal sealed class ServerCertificateCheck(IReadOnlySet<string> pins, string expectedName)
{
    private volatile string? _lastRefusal;

    public string ExpectedName { get; } = expectedName;

    /// <summary>Why the last certificate was refused, for the error a failed call reports.</summary>
    public string? LastRefusal => _lastRefusal;

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var refusal = Judge(certificate, errors);
        _lastRefusal = refusal;
        return refusal is null;
    }

    private string? Judge(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return "the server presented no certificate";
        }

        if (pins.Count > 0)
        {
            var thumbprint = certificate.GetCertHashString(HashAlgorithmName.SHA256);
            if (!pins.Contains(thumbprint))
            {
                return $"the server's certificate (SHA-256 {thumbprint}) is not one of the pinned {string.Join(", ", pins)}";
            }
        }
        else if ((errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) != SslPolicyErrors.None)
        {
            return $"the server's certificate is not trusted ({errors}) and the site pins none (tls_sha256)";
        }

        // The handshake checked the URL's host; the name that matters may be the site's TLS name instead.
        return Names(certificate, ExpectedName) ? null : $"the server's certificate does not name {ExpectedName}";
    }

    private static bool Names(X509Certificate certificate, string name)
    {
        if (certificate is X509Certificate2 full)
        {
            return full.MatchesHostname(name);
        }

        using var loaded = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return loaded.MatchesHostname(name);
    }
}
