using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Node.Tests.Security;

/// <summary>
/// Security settings the node accepts. Those it refuses stop the start with one line naming them:
/// Settings/HostSettingsValidationTests (every rule) and Settings/StartFailureTests (real processes).
/// </summary>
public sealed class SecurityConfigurationTests
{
    [Fact]
    public void Thumbprints_may_be_written_with_colons_and_in_lower_case()
    {
        using var node = new NodeFactory()
            .With("Security:TrustedPeers:0:Thumbprint", "01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67")
            .With("Security:TrustedPeers:0:Name", "node-b");

        Assert.NotNull(node.Services);
    }
}
