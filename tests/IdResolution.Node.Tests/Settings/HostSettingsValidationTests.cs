using IdResolution.Core.Composition;
using IdResolution.Core.Federation;
using IdResolution.Node.Hosting;
using IdResolution.Node.Security;
using Microsoft.Extensions.Configuration;

namespace IdResolution.Node.Tests.Settings;

/// <summary>
/// The host's settings (Node, Node:Tls, Store:Kind, RateLimits, Security's Handle schemes, Federation,
/// Security:Tokens), bound from configuration as the node binds them: each one out of its range is
/// named with its full key, its value and the range.
/// </summary>
public sealed class HostSettingsValidationTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.Empty(Problems<NodeOptions>(NodeOptions.Section, string.Empty, HostingOptionsValidation.Check));
        Assert.Empty(Problems<StoreOptions>(StoreOptions.Section, string.Empty, HostingOptionsValidation.Check));
        Assert.Empty(Problems<RateLimitOptions>(RateLimitOptions.Section, string.Empty, HostingOptionsValidation.Check));
        Assert.Empty(Problems<NodeTlsOptions>(NodeTlsOptions.Section, string.Empty, SecuritySettingsValidation.Check));
        Assert.Empty(Problems<HandleSecurityOptions>(HandleSecurityOptions.Section, string.Empty, SecuritySettingsValidation.Check));
        Assert.Empty(Problems<TokenOptions>(TokenOptions.Section, string.Empty, SecuritySettingsValidation.Check));
        Assert.Empty(Problems<FederationOptions>(FederationOptions.Section, string.Empty, (options, problems) => FederationSettingsValidation.Check(options, tls: false, "88.709", problems)));
    }

    [Theory]
    [InlineData("Node:BindAddress=localhost", "Node:BindAddress is 'localhost'; allowed: an IP address such as 127.0.0.1, 0.0.0.0 or ::.")]
    [InlineData("Node:HttpPort=-1", "Node:HttpPort is -1; allowed: 1 to 65535.")]
    [InlineData("Node:HttpPort=65536", "Node:HttpPort is 65536; allowed: 1 to 65535.")]
    [InlineData("Node:GrpcPort=0", "Node:GrpcPort is 0; allowed: 1 to 65535.")]
    [InlineData("Node:GrpcPort=8000", "Node:GrpcPort is 8000; allowed: a port other than Node:HttpPort.")]
    [InlineData("Node:MaxRequestBytes=0", "Node:MaxRequestBytes is 0; allowed: 1024 to 1073741824.")]
    [InlineData("Node:Role=7", "Node:Role is '7'; allowed: TopLevel, Secondary or Enterprise.")]
    public void Node_settings(string settings, string expected) =>
        AssertOne<NodeOptions>(NodeOptions.Section, settings, HostingOptionsValidation.Check, expected);

    [Theory]
    [InlineData("Node:Tls:ClientCertificates=Require", "Node:Tls:ClientCertificates is 'Require'; allowed: None while Node:Tls:CertificatePath is empty: client certificates exist only over TLS.")]
    [InlineData("Node:Tls:ClientCertificates=7", "Node:Tls:ClientCertificates is '7'; allowed: None, Allow or Require.")]
    [InlineData("Node:Tls:KeyPath=/etc/key.pem", "Node:Tls:KeyPath is '/etc/key.pem'; allowed: empty while Node:Tls:CertificatePath is empty.")]
    [InlineData("Node:Tls:CertificatePath=/nonexistent/node.pfx", "Node:Tls:CertificatePath is '/nonexistent/node.pfx'; allowed: a PKCS#12 (.pfx) or PEM certificate file the node can read.")]
    public void Tls_settings(string settings, string expected) =>
        AssertOne<NodeTlsOptions>(NodeTlsOptions.Section, settings, SecuritySettingsValidation.Check, expected);

    [Theory]
    [InlineData("Store:Kind=Mongo", "Store:Kind is 'Mongo'; allowed: Embedded or Cassandra.")]
    [InlineData("Store:Kind=", "Store:Kind is ''; allowed: Embedded or Cassandra.")]
    public void The_store_kind_is_embedded_or_cassandra(string settings, string expected) =>
        AssertOne<StoreOptions>(StoreOptions.Section, settings, HostingOptionsValidation.Check, expected);

    [Theory]
    [InlineData("Store:Kind=cassandra")]
    [InlineData("Store:Kind=EMBEDDED")]
    public void The_store_kind_is_read_in_any_case(string settings) =>
        Assert.Empty(Problems<StoreOptions>(StoreOptions.Section, settings, HostingOptionsValidation.Check));

    [Theory]
    [InlineData("RateLimits:Resolution:PermitsPerSecond=-1", "RateLimits:Resolution:PermitsPerSecond is -1; allowed: more than 0, at most 1000000.")]
    [InlineData("RateLimits:Resolution:PermitsPerSecond=0", "RateLimits:Resolution:PermitsPerSecond is 0; allowed: more than 0, at most 1000000.")]
    [InlineData("RateLimits:Writes:PermitsPerSecond=Infinity", "RateLimits:Writes:PermitsPerSecond is Infinity; allowed: more than 0, at most 1000000.")]
    [InlineData("RateLimits:Writes:PermitsPerSecond=NaN", "RateLimits:Writes:PermitsPerSecond is NaN; allowed: more than 0, at most 1000000.")]
    [InlineData("RateLimits:Resolution:Burst=0", "RateLimits:Resolution:Burst is 0; allowed: 1 to 1000000.")]
    [InlineData("RateLimits:Peers:PermitsPerSecond=0", "RateLimits:Peers:PermitsPerSecond is 0; allowed: more than 0, at most 1000000.")]
    [InlineData("RateLimits:Peers:Burst=2000000", "RateLimits:Peers:Burst is 2000000; allowed: 1 to 1000000.")]
    public void Rate_limit_settings(string settings, string expected) =>
        AssertOne<RateLimitOptions>(RateLimitOptions.Section, settings, HostingOptionsValidation.Check, expected);

    [Fact]
    public void Budgets_do_not_matter_while_limits_are_off() =>
        Assert.Empty(Problems<RateLimitOptions>(RateLimitOptions.Section, "RateLimits:Enabled=false;RateLimits:Resolution:PermitsPerSecond=-1;RateLimits:Writes:Burst=0", HostingOptionsValidation.Check));

    [Theory]
    [InlineData("Security:HandleSessions:LifetimeSeconds=0", "Security:HandleSessions:LifetimeSeconds is 0; allowed: 1 to 86400.")]
    [InlineData("Security:HandleSessions:MaxSessions=-3", "Security:HandleSessions:MaxSessions is -3; allowed: 1 to 10000000.")]
    public void Handle_scheme_settings(string settings, string expected) =>
        AssertOne<HandleSecurityOptions>(HandleSecurityOptions.Section, settings, SecuritySettingsValidation.Check, expected);

    private const string Pin = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("Federation:MaxReferrals=0", "Federation:MaxReferrals is 0; allowed: 1 to 32.")]
    [InlineData("Federation:Recursion=5", "Federation:Recursion is '5'; allowed: Off, Authenticated or All.")]
    [InlineData("Federation:TimeoutMilliseconds=5", "Federation:TimeoutMilliseconds is 5; allowed: 50 to 60000.")]
    [InlineData("Federation:FilingBatch=0", "Federation:FilingBatch is 0; allowed: 1 to 10000.")]
    [InlineData("Federation:MaxStaleSeconds=-1", "Federation:MaxStaleSeconds is -1; allowed: 0 to 604800.")]
    [InlineData("Federation:NodeKeyPath=", "Federation:NodeKeyPath is ''; allowed: the file of the node's key, e.g. ./keys/node-key.pem.")]
    [InlineData("Federation:Parent:Prefix=88;Federation:Parent:Endpoints:0=top.example:8001;Federation:AllowInsecure=true",
        "Federation:Parent:Endpoints:0 is 'top.example:8001'; allowed: an absolute http or https URL such as https://top.example:8001.")]
    [InlineData("Federation:Parent:Prefix=88;Federation:Parent:Endpoints:0=ftp://top.example;Federation:AllowInsecure=true",
        "Federation:Parent:Endpoints:0 is 'ftp://top.example'; allowed: an absolute http or https URL such as https://top.example:8001.")]
    [InlineData("Federation:Parent:Prefix=99;Federation:Parent:Endpoints:0=http://127.0.0.1:9001;Federation:AllowInsecure=true",
        "Federation:Parent:Prefix is '99'; allowed: the prefix the parent holds, under which Security:NodePrefix (88.709) lies.")]
    [InlineData("Federation:Parent:Prefix=88;Federation:Parent:Endpoints:0=https://top.example:8001;Federation:AllowInsecure=true",
        "Federation:Parent:TlsSha256 is empty; allowed: at least one thumbprint when the parent's endpoints are https: the parent is whoever holds a pinned certificate.")]
    [InlineData("Federation:Parent:Prefix=88;Federation:Parent:Endpoints:0=https://top.example:8001;Federation:Parent:TlsSha256:0=abcd;Federation:AllowInsecure=true",
        "Federation:Parent:TlsSha256:0 is 'abcd'; allowed: the SHA-256 thumbprint of a certificate of the parent: 64 hex digits (colons allowed).")]
    [InlineData("Federation:Parent:Credentials:0=key:abc",
        "Federation:Parent:Credentials:0 is 'key:abc'; allowed: the key is not a base64 SubjectPublicKeyInfo of an ECDSA P-256 key, as GetNodeIdentity shows it.")]
    [InlineData("Federation:Parent:Credentials:0=cert:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "Federation:Parent:Credentials:0 is 'cert:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'; allowed: a node key of the parent, key:<base64 SubjectPublicKeyInfo> as its GetNodeIdentity shows it.")]
    [InlineData("Federation:AdvertisedEndpoints:Grpc=grpc.example;Federation:AllowInsecure=true",
        "Federation:AdvertisedEndpoints:Grpc is 'grpc.example'; allowed: an absolute http or https URL such as https://top.example:8001.")]
    [InlineData("Federation:Parent:Prefix=88;Federation:Parent:Endpoints:0=http://127.0.0.1:9001",
        "Federation:AllowInsecure is False; allowed: true to federate without TLS (development only): this node has no Node:Tls certificate or an http:// endpoint in Federation:Parent:Endpoints or Federation:AdvertisedEndpoints, and a node without TLS refuses to federate unless AllowInsecure is set.")]
    [InlineData("Federation:AdvertisedEndpoints:Grpc=https://a.example:8001",
        "Federation:AllowInsecure is False; allowed: true to federate without TLS (development only): this node has no Node:Tls certificate or an http:// endpoint in Federation:Parent:Endpoints or Federation:AdvertisedEndpoints, and a node without TLS refuses to federate unless AllowInsecure is set.")]
    public void Federation_settings(string settings, string expected) =>
        AssertOne<FederationOptions>(FederationOptions.Section, settings, (options, problems) => FederationSettingsValidation.Check(options, tls: false, "88.709", problems), expected);

    [Theory]
    [InlineData("Federation:Parent:Prefix=88;Federation:Parent:Endpoints:0=https://top.example:8001;Federation:Parent:TlsSha256:0=" + Pin, true)]
    [InlineData("Federation:Parent:Prefix=88;Federation:Parent:Endpoints:0=https://top.example:8001;Federation:Parent:Endpoints:1=https://dr.example:8001;Federation:Parent:TlsSha256:0=01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef", true)]
    [InlineData("Federation:Parent:Prefix=88;Federation:Parent:Endpoints:0=http://127.0.0.1:9001;Federation:AllowInsecure=true", false)]
    [InlineData("Federation:AllowInsecure=false", false)]
    public void Federation_over_tls_or_allowed_insecure_is_valid(string settings, bool tls) =>
        Assert.Empty(Problems<FederationOptions>(FederationOptions.Section, settings, (options, problems) => FederationSettingsValidation.Check(options, tls, "88.709", problems)));

    [Fact]
    public void With_tls_an_http_endpoint_still_needs_allow_insecure() =>
        Assert.Contains(Problems<FederationOptions>(FederationOptions.Section, "Federation:Parent:Prefix=88;Federation:Parent:Endpoints:0=http://127.0.0.1:9001",
            (options, problems) => FederationSettingsValidation.Check(options, tls: true, "88.709", problems)), p => p.StartsWith("Federation:AllowInsecure is False", StringComparison.Ordinal));

    [Theory]
    [InlineData("Security:Tokens:Lifetime=00:00:01", "Security:Tokens:Lifetime is 00:00:01; allowed: 00:01:00 to 30.00:00:00 (one minute to 30 days).")]
    [InlineData("Security:Tokens:Lifetime=31.00:00:00", "Security:Tokens:Lifetime is 31.00:00:00; allowed: 00:01:00 to 30.00:00:00 (one minute to 30 days).")]
    [InlineData("Security:Tokens:KeyRingPath=", "Security:Tokens:KeyRingPath is ''; allowed: the file of the token signing keys, e.g. ./keys/signing-keys.json.")]
    public void Token_settings(string settings, string expected) =>
        AssertOne<TokenOptions>(TokenOptions.Section, settings, SecuritySettingsValidation.Check, expected);

    private static void AssertOne<T>(string section, string settings, Action<T, SettingProblems> check, string expected)
        where T : new() =>
        Assert.Equal(expected, Assert.Single(Problems(section, settings, check)));

    /// <summary>Binds <typeparamref name="T"/> from <paramref name="section"/> of <paramref name="settings"/> ("key=value;key=value") and checks it.</summary>
    private static IReadOnlyList<string> Problems<T>(string section, string settings, Action<T, SettingProblems> check)
        where T : new()
    {
        var pairs = settings.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(pair => new KeyValuePair<string, string?>(pair[0], pair[1]));
        var options = new T();
        new ConfigurationBuilder().AddInMemoryCollection(pairs).Build().GetSection(section).Bind(options);
        var problems = new SettingProblems();
        check(options, problems);
        return problems.Found;
    }
}
