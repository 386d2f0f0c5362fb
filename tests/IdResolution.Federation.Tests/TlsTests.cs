using System.Security.Cryptography.X509Certificates;
using IdResolution.Core;
using IdResolution.Core.Federation;
using IdResolution.Federation.Tests.Infrastructure;

namespace IdResolution.Federation.Tests;

/// <summary>Another node is whoever holds a pinned certificate; this node shows its own; plaintext only when allowed.</summary>
public sealed class TlsTests : OneRemoteNode
{
    private readonly X509Certificate2 _serverCertificate = Certificates.SelfSigned("node-b.test");
    private readonly X509Certificate2 _ownCertificate = Certificates.SelfSigned("node-a.test");

    protected override X509Certificate2? ServerCertificate => _serverCertificate;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _serverCertificate.Dispose();
        _ownCertificate.Dispose();
    }

    [Fact]
    public async Task The_pinned_self_signed_certificate_is_accepted_and_this_node_presents_its_own()
    {
        using var link = Link();

        var answer = await link.ResolveAsync(Node(pin: Certificates.Pin(_serverCertificate)), "88.710/x", false, Token);

        Assert.Equal(HandleResponseCode.HandleNotFound, answer.Code);
        Assert.Equal(Certificates.Pin(_ownCertificate), Assert.Single(Server.Script.Received).ClientCertificate);
    }

    [Fact]
    public async Task Another_certificate_than_the_pinned_one_is_refused_before_any_call()
    {
        using var link = Link();

        var failure = await Assert.ThrowsAsync<RemoteUnavailableException>(() => link.ResolveAsync(Node(pin: new string('0', 64)), "88.710/x", false, Token).AsTask());

        Assert.False(failure.CircuitOpen);
        Assert.Contains("is not one of the pinned", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, Server.Script.Calls);
    }

    [Fact]
    public async Task Without_a_pin_a_self_signed_certificate_is_not_trusted()
    {
        using var link = Link();

        var failure = await Assert.ThrowsAsync<RemoteUnavailableException>(() => link.ResolveAsync(Node(pin: null), "88.710/x", false, Token).AsTask());

        Assert.Contains("is not trusted", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, Server.Script.Calls);
    }

    [Fact]
    public async Task The_parents_endpoints_are_held_to_any_of_the_parents_configured_pins()
    {
        var options = Options();
        options.Federation.Parent.Endpoints.Add(Server.Url);
        options.Federation.Parent.TlsSha256.Add(new string('F', 64));
        options.Federation.Parent.TlsSha256.Add(string.Join(':', Certificates.Pin(_serverCertificate).Chunk(2).Select(pair => new string(pair))));
        using var link = new GrpcNodeLink(options);

        var results = await link.FileAsync(new RemoteNode("88", [new NodeEndpoint(Server.Url)]), [new Filing("0.NA/88.709.1", 1, [], false, DateTimeOffset.UnixEpoch)], Token);

        Assert.Equal(HandleResponseCode.ServerTooBusy, Assert.Single(results).Code);
        Assert.Equal(1, Server.Script.Calls);
    }

    [Fact]
    public async Task The_sites_tls_name_is_the_name_checked_when_the_url_has_another_host()
    {
        using var named = Certificates.SelfSigned("node-c.test", withLoopbackAddress: false);
        await using var server = await RemoteServer.StartAsync(named);
        using var link = Link();
        var pin = Certificates.Pin(named);

        var answer = await link.ResolveAsync(new RemoteNode("88.712", [new NodeEndpoint(server.Url, TlsName: "node-c.test", TlsSha256: pin)]), "88.712/x", false, Token);
        var failure = await Assert.ThrowsAsync<RemoteUnavailableException>(() =>
            link.ResolveAsync(new RemoteNode("88.713", [new NodeEndpoint(server.Url, TlsSha256: pin)]), "88.713/x", false, Token).AsTask());

        Assert.Equal(HandleResponseCode.HandleNotFound, answer.Code);
        Assert.Contains("does not name 127.0.0.1", failure.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.Script.Calls);
    }

    [Fact]
    public async Task Plaintext_endpoints_are_refused_without_a_call_unless_allowed()
    {
        await using var plaintext = await RemoteServer.StartAsync();
        using var link = Link();

        var failure = await Assert.ThrowsAsync<RemoteUnavailableException>(() => link.ResolveAsync(TestLinks.Node("88.714", plaintext.Url), "88.714/x", false, Token).AsTask());

        Assert.Contains("Federation:AllowInsecure=true", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, plaintext.Script.Calls);
        Assert.False(link.IsCircuitOpen(TestLinks.Node("88.714", plaintext.Url)));
    }

    [Fact]
    public async Task A_site_pin_that_is_not_a_thumbprint_makes_the_endpoint_unusable_rather_than_unpinned()
    {
        using var link = Link();

        var failure = await Assert.ThrowsAsync<RemoteUnavailableException>(() => link.ResolveAsync(Node(pin: "not-a-thumbprint"), "88.710/x", false, Token).AsTask());

        Assert.Contains("tls_sha256", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, Server.Script.Calls);
    }

    [Fact]
    public void A_plaintext_or_malformed_parent_stops_the_node_at_start_naming_the_setting()
    {
        var plaintext = Options();
        plaintext.Federation.Parent.Endpoints.Add("http://127.0.0.1:8001");
        var badPin = Options();
        badPin.Federation.Parent.Endpoints.Add("https://top.example:8001");
        badPin.Federation.Parent.TlsSha256.Add("abc");

        var insecure = Assert.Throws<InvalidOperationException>(() => new GrpcNodeLink(plaintext));
        var malformed = Assert.Throws<InvalidOperationException>(() => new GrpcNodeLink(badPin));

        Assert.Contains("Federation:Parent:Endpoints:0 is 'http://127.0.0.1:8001'", insecure.Message, StringComparison.Ordinal);
        Assert.Contains("Federation:Parent:TlsSha256:0 is 'abc'", malformed.Message, StringComparison.Ordinal);
        plaintext.Federation.AllowInsecure = true;
        new GrpcNodeLink(plaintext).Dispose();
    }

    private NodeLinkOptions Options() => TestLinks.Options(Key, allowInsecure: false, clientCertificate: _ownCertificate);

    private GrpcNodeLink Link() => new(Options());

    private RemoteNode Node(string? pin) => new("88.710", [new NodeEndpoint(Server.Url, TlsSha256: pin)]);
}
