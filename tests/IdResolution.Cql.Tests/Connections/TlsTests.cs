using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IdResolution.Cql.Connections;
using IdResolution.Cql.Errors;
using IdResolution.Cql.Tests.Server;
using static IdResolution.Cql.Tests.Connections.ConnectionTestKit;

namespace IdResolution.Cql.Tests.Connections;

public sealed class TlsTests
{
    [Fact]
    public async Task The_connection_runs_over_tls_when_configured()
    {
        using var certificate = SelfSigned();
        await using var server = new LoopbackCqlServer(_ => ServerReply.Rows("secret"), tlsCertificate: certificate);
        var presented = new List<string>();
        var options = new CqlConnectionOptions
        {
            Tls = new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",

                // Pinned: the test certificate is trusted by thumbprint, not by any store.
                RemoteCertificateValidationCallback = (_, remote, _, _) =>
                {
                    presented.Add(remote!.GetCertHashString());
                    return remote.GetCertHashString() == certificate.GetCertHashString();
                },
            },
        };

        await using var connection = await OpenAsync(server, options);

        Assert.Equal([certificate.GetCertHashString()], presented);
        Assert.Equal("secret", SingleValue(await connection.SendAsync("SELECT 1").Within()));
    }

    [Fact]
    public async Task A_refused_server_certificate_is_a_connection_exception()
    {
        using var certificate = SelfSigned();
        await using var server = new LoopbackCqlServer(tlsCertificate: certificate);
        var options = new CqlConnectionOptions
        {
            Tls = new SslClientAuthenticationOptions { TargetHost = "localhost", RemoteCertificateValidationCallback = (_, _, _, _) => false },
        };

        var error = await Assert.ThrowsAsync<CqlConnectionException>(() => OpenAsync(server, options));

        Assert.IsType<System.Security.Authentication.AuthenticationException>(error.InnerException);
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        // Through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), password: null);
    }
}
