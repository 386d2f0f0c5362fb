using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IdResolution.Node.Security;
using Microsoft.AspNetCore.Http;

namespace IdResolution.Node.Tests.Security;

/// <summary>The choice the node's default scheme makes with <see cref="HandleSchemes.SelectScheme"/>.</summary>
public sealed class SelectSchemeTests
{
    [Theory]
    [InlineData("Basic MzAwOng=", HandleSchemes.Basic)]
    [InlineData("basic MzAwOng=", HandleSchemes.Basic)]
    [InlineData("Basic", HandleSchemes.Basic)]
    [InlineData("Handle sessionId=\"a\"", HandleSchemes.Challenge)]
    [InlineData("  HANDLE\tsessionId=\"a\"", HandleSchemes.Challenge)]
    [InlineData("IdresNode eyJhbGciOiJFUzI1NiJ9.e30.sig", HandleSchemes.Node)]
    [InlineData("idresnode x", HandleSchemes.Node)]
    [InlineData("IdresNodes x", null)]
    [InlineData("Bearer eyJ0eXAiOiJKV1QifQ.e30.sig", null)]
    [InlineData("Handles x", null)]
    [InlineData("Digest a=b", null)]
    public void The_authorization_header_decides(string header, string? scheme)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Authorization = header;

        Assert.Equal(scheme, HandleSchemes.SelectScheme(context));
    }

    [Fact]
    public void A_client_certificate_counts_when_there_is_no_authorization_header()
    {
        using var key = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=peer", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var context = new DefaultHttpContext();

        Assert.Null(HandleSchemes.SelectScheme(context));

        context.Connection.ClientCertificate = certificate;
        Assert.Equal(HandleSchemes.Certificate, HandleSchemes.SelectScheme(context));

        context.Request.Headers.Authorization = "Bearer abc";
        Assert.Null(HandleSchemes.SelectScheme(context));
    }
}
