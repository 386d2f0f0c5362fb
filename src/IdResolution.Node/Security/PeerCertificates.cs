using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.Extensions.Options;

namespace IdResolution.Node.Security;

/// <summary>
/// Maps a validated TLS client certificate to a peer node by its thumbprint, from
/// <c>Security:TrustedPeers</c>. A thumbprint is the SHA-1 (40 hex digits, as Windows shows it) or
/// SHA-256 (64 hex digits) of the certificate; case, spaces and colons do not matter.
/// </summary>
internal sealed class PeerCertificates
{
    private readonly Dictionary<string, string> _sha1 = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _sha256 = new(StringComparer.Ordinal);

    /// <summary>The peers of validated settings (<see cref="SecuritySettingsValidation"/>): every thumbprint is well formed.</summary>
    public PeerCertificates(IOptions<HandleSecurityOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var peer in options.Value.TrustedPeers)
        {
            var thumbprint = Normalise(peer.Thumbprint);
            (thumbprint.Length == 40 ? _sha1 : _sha256)[thumbprint] = peer.Name;
        }
    }

    /// <summary>Whether <paramref name="thumbprint"/> is 40 (SHA-1) or 64 (SHA-256) hex digits, ignoring case, spaces, colons and dashes.</summary>
    public static bool IsThumbprint(string? thumbprint)
    {
        var digits = Normalise(thumbprint ?? string.Empty);
        return digits.Length is 40 or 64 && digits.All(char.IsAsciiHexDigit);
    }

    /// <summary>The configured name of the peer that presents <paramref name="certificate"/>, or null.</summary>
    public string? Find(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (_sha256.Count > 0 && _sha256.TryGetValue(certificate.GetCertHashString(HashAlgorithmName.SHA256), out var name))
        {
            return name;
        }

        return _sha1.Count > 0 && _sha1.TryGetValue(certificate.GetCertHashString(HashAlgorithmName.SHA1), out name) ? name : null;
    }

    /// <summary>The certificate handler's last step: a trusted peer gets its principal, any other certificate fails.</summary>
    public static Task OnCertificateValidated(CertificateValidatedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var peers = context.HttpContext.RequestServices.GetRequiredService<PeerCertificates>();
        var certificate = context.ClientCertificate;
        var sha256 = certificate.GetCertHashString(HashAlgorithmName.SHA256);
        var name = peers.Find(certificate);
        if (name is null)
        {
            var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger<PeerCertificates>();
            SecurityLog.UntrustedPeerCertificate(logger, certificate.Subject, sha256);
            context.Fail("the client certificate is not a trusted peer");
            return Task.CompletedTask;
        }

        context.Principal = HandlePrincipal.Peer(name, sha256, context.Scheme.Name);
        context.Success();
        return Task.CompletedTask;
    }

    private static string Normalise(string thumbprint) =>
        new([.. thumbprint.Where(c => !(c is ' ' or ':' or '-')).Select(char.ToUpperInvariant)]);
}
