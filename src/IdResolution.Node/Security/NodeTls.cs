using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace IdResolution.Node.Security;

/// <summary>Whether the node asks TLS clients for a certificate (<c>Node:Tls:ClientCertificates</c>).</summary>
internal enum ClientCertificates
{
    None,

    /// <summary>Asked for, not required: peers present one, other clients need not.</summary>
    Allow,

    /// <summary>The handshake fails without one (on both ports, so health probes need one too).</summary>
    Require,
}

/// <summary>TLS settings (configuration section <c>Node:Tls</c>).</summary>
internal sealed class NodeTlsOptions
{
    public const string Section = "Node:Tls";

    /// <summary>A PKCS#12 (.pfx) file, or a PEM certificate (with its key in the same file or in <see cref="KeyPath"/>). Empty: no TLS.</summary>
    public string CertificatePath { get; set; } = string.Empty;

    /// <summary>The PEM private key, when it is not in the certificate file.</summary>
    public string KeyPath { get; set; } = string.Empty;

    /// <summary>The PKCS#12 password, or the password of an encrypted PEM key.</summary>
    public string Password { get; set; } = string.Empty;

    public ClientCertificates ClientCertificates { get; set; } = ClientCertificates.None;
}

/// <summary>
/// The node's TLS: when a certificate is configured both ports serve HTTPS (the JSON port HTTP/1.1
/// and HTTP/2 by ALPN, the gRPC port HTTP/2); without one they stay plain HTTP/1.1 and h2c.
/// Client certificates are not judged in the handshake: the <see cref="HandleSchemes.Certificate"/>
/// scheme decides which ones are an admitted child node's credential.
/// </summary>
internal sealed class NodeTls : IDisposable
{
    private NodeTls(X509Certificate2 certificate, ClientCertificates clientCertificates)
    {
        Certificate = certificate;
        ClientCertificates = clientCertificates;
    }

    public X509Certificate2 Certificate { get; }

    public ClientCertificates ClientCertificates { get; }

    /// <summary>Whether a certificate is configured, so the node serves TLS; read before the settings are checked.</summary>
    public static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{NodeTlsOptions.Section}:{nameof(NodeTlsOptions.CertificatePath)}"]);

    /// <summary>Loads the configured certificate (of validated settings with a <see cref="NodeTlsOptions.CertificatePath"/>).</summary>
    public static NodeTls Load(NodeTlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var certificate = LoadCertificate(options);
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new InvalidOperationException($"The TLS certificate {options.CertificatePath} has no private key (set Node:Tls:KeyPath for a PEM key file).");
        }

        return new NodeTls(certificate, options.ClientCertificates);
    }

    /// <summary>The JSON/health/metrics port: plain HTTP/1.1, or HTTPS with HTTP/1.1 and HTTP/2.</summary>
    public static void ListenHttp(ListenOptions listen, NodeTls? tls)
    {
        ArgumentNullException.ThrowIfNull(listen);
        listen.Protocols = tls is null ? HttpProtocols.Http1 : HttpProtocols.Http1AndHttp2;
        tls?.UseOn(listen);
    }

    /// <summary>The gRPC port: HTTP/2 only, in cleartext (h2c) or over TLS.</summary>
    public static void ListenGrpc(ListenOptions listen, NodeTls? tls)
    {
        ArgumentNullException.ThrowIfNull(listen);
        listen.Protocols = HttpProtocols.Http2;
        tls?.UseOn(listen);
    }

    public void Dispose() => Certificate.Dispose();

    private void UseOn(ListenOptions listen) => listen.UseHttps(https =>
    {
        https.ServerCertificate = Certificate;
        https.ClientCertificateMode = ClientCertificates switch
        {
            ClientCertificates.Allow => ClientCertificateMode.AllowCertificate,
            ClientCertificates.Require => ClientCertificateMode.RequireCertificate,
            _ => ClientCertificateMode.NoCertificate,
        };
        if (ClientCertificates != ClientCertificates.None)
        {
            https.AllowAnyClientCertificate();
        }
    });

    private static X509Certificate2 LoadCertificate(NodeTlsOptions options)
    {
        var path = options.CertificatePath;
        var password = string.IsNullOrEmpty(options.Password) ? null : options.Password;
        var keyPath = string.IsNullOrWhiteSpace(options.KeyPath) ? null : options.KeyPath;
        try
        {
            if (!IsPem(path))
            {
                return X509CertificateLoader.LoadPkcs12FromFile(path, password);
            }

            var pem = password is null
                ? X509Certificate2.CreateFromPemFile(path, keyPath)
                : X509Certificate2.CreateFromEncryptedPemFile(path, password, keyPath);
            if (!OperatingSystem.IsWindows())
            {
                return pem;
            }

            // Windows' TLS cannot use a key that exists only in memory; a PKCS#12 round trip persists it.
            using (pem)
            {
                return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
            }
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Cannot load the TLS certificate {path}: {exception.Message}", exception);
        }
    }

    /// <summary>PKCS#12 is DER, which starts with a SEQUENCE tag (0x30); anything else is read as PEM text.</summary>
    private static bool IsPem(string path)
    {
        using var file = File.OpenRead(path);
        return file.ReadByte() != 0x30;
    }
}
