using IdResolution.Node.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace IdResolution.Node.Tests.Security;

/// <summary>Security settings that cannot work stop the node at start, not at the first request.</summary>
public sealed class SecurityConfigurationTests
{
    [Theory]
    [InlineData("not-hex", "node-b")]
    [InlineData("ABCD", "node-b")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF01234567", "")]
    public void A_trusted_peer_needs_a_name_and_a_sha1_or_sha256_thumbprint(string thumbprint, string name)
    {
        using var node = new NodeFactory()
            .With("Security:TrustedPeers:0:Thumbprint", thumbprint)
            .With("Security:TrustedPeers:0:Name", name);

        var error = Assert.ThrowsAny<Exception>(() => node.Services);
        Assert.IsType<OptionsValidationException>(error.GetBaseException());
        Assert.Contains("Security:TrustedPeers", error.GetBaseException().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Thumbprints_may_be_written_with_colons_and_in_lower_case()
    {
        using var node = new NodeFactory()
            .With("Security:TrustedPeers:0:Thumbprint", "01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67")
            .With("Security:TrustedPeers:0:Name", "node-b");

        Assert.NotNull(node.Services);
    }

    [Fact]
    public void Client_certificates_without_a_server_certificate_are_refused()
    {
        using var node = new NodeFactory().With("Node:Tls:ClientCertificates", "Require");

        var error = Assert.ThrowsAny<Exception>(() => node.Services);
        Assert.Contains("Node:Tls:ClientCertificates needs Node:Tls:CertificatePath", error.GetBaseException().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_certificate_file_is_named()
    {
        using var node = new NodeFactory().With("Node:Tls:CertificatePath", "/nonexistent/node.pfx");

        var error = Assert.ThrowsAny<Exception>(() => node.Services);
        Assert.Contains("/nonexistent/node.pfx", error.GetBaseException().Message, StringComparison.Ordinal);
    }
}
