using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using IdResolution.Contracts.V1;
using IdResolution.Core.Security;
using IdResolution.Node.Security;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Node.Tests.Security;

/// <summary>TLS on real Kestrel: both ports serve HTTPS with the configured certificate; client certificates map to peers.</summary>
public sealed class TlsTests : IClassFixture<TlsNode>
{
    private readonly TlsNode _node;

    public TlsTests(TlsNode node) => _node = node;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_json_port_serves_https_with_the_configured_certificate_over_http_1_1_and_http_2()
    {
        X509Certificate2? presented = null;
        var handler = TestCertificates.Handler(_node.ServerCertificate);
        var pin = handler.SslOptions.RemoteCertificateValidationCallback!;
        handler.SslOptions.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
        {
            presented = certificate is null ? null : new X509Certificate2(certificate);
            return pin(sender, certificate, chain, errors);
        };
        using var client = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{_node.HttpPort}") };

        using var http2 = new HttpRequestMessage(HttpMethod.Get, "/readyz") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var answer = await client.SendAsync(http2, Token);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(HttpVersion.Version20, answer.Version);
        Assert.Equal(_node.ServerCertificate.Thumbprint, presented!.Thumbprint);

        using var http11 = new HttpRequestMessage(HttpMethod.Get, "/healthz") { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var older = await client.SendAsync(http11, Token);
        Assert.Equal(HttpStatusCode.OK, older.StatusCode);
        Assert.Equal(HttpVersion.Version11, older.Version);
    }

    [Fact]
    public async Task The_grpc_port_serves_http_2_over_tls()
    {
        using var channel = GrpcChannel.ForAddress($"https://127.0.0.1:{_node.GrpcPort}",
            new GrpcChannelOptions { HttpHandler = TestCertificates.Handler(_node.ServerCertificate) });

        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), cancellationToken: Token);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);

        var missing = await Assert.ThrowsAsync<RpcException>(() =>
            new Contracts.V1.Resolution.ResolutionClient(channel).ResolveAsync(new ResolveRequest { Handle = "88.709.911/none" }, cancellationToken: Token).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Plain_http_gets_no_answer_from_a_tls_port()
    {
        using var plain = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_node.HttpPort}") };

        var failed = false;
        try
        {
            using var response = await plain.GetAsync("/readyz", Token);
            failed = !response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            failed = true;
        }

        Assert.True(failed);
    }

    [Fact]
    public async Task An_admitted_certificate_authenticates_as_its_node()
    {
        using var client = _node.Client(_node.TrustedClient);

        var whoami = await client.GetFromJsonAsync<TlsNode.WhoAmI>(TlsNode.WhoAmIPath, Token);

        Assert.Equal(new TlsNode.WhoAmI(HandleSchemes.Certificate, true, TlsNode.AdmittedNodeName, NodeClaims.KindPeer, null), whoami);
    }

    [Fact]
    public async Task An_untrusted_certificate_is_refused()
    {
        using var client = _node.Client(_node.UntrustedClient);

        var whoami = await client.GetFromJsonAsync<TlsNode.WhoAmI>(TlsNode.WhoAmIPath, Token);

        Assert.Equal(HandleSchemes.Certificate, whoami!.Scheme);
        Assert.False(whoami.Succeeded);
        Assert.Equal("the client certificate is not an admitted node's credential", whoami.Failure);
    }

    [Fact]
    public async Task A_certificate_rotated_out_stops_authenticating_at_once_and_its_successor_starts()
    {
        using var old = TestCertificates.Client("node-c.example");
        using var successor = TestCertificates.Client("node-c.example");
        await _node.AdmitAsync("88.709.78", Cert(old));
        using var oldClient = _node.Client(old);
        Assert.True((await oldClient.GetFromJsonAsync<TlsNode.WhoAmI>(TlsNode.WhoAmIPath, Token))!.Succeeded);

        await _node.AdmitAsync("88.709.78", Cert(successor));

        using var again = _node.Client(old);
        Assert.False((await again.GetFromJsonAsync<TlsNode.WhoAmI>(TlsNode.WhoAmIPath, Token))!.Succeeded);
        using var newClient = _node.Client(successor);
        Assert.Equal(new TlsNode.WhoAmI(HandleSchemes.Certificate, true, "node 88.709.78", NodeClaims.KindPeer, null),
            await newClient.GetFromJsonAsync<TlsNode.WhoAmI>(TlsNode.WhoAmIPath, Token));
    }

    [Fact]
    public async Task A_node_authenticated_by_its_certificate_writes_prefix_handles_under_its_prefix_only()
    {
        using var client = _node.Client(_node.TrustedClient);
        const string values = "[{\"index\":1,\"type\":\"URL\",\"data\":\"https://example.com/enterprise\"}]";

        using var own = await client.PutAsync("/api/handles/0.NA/" + TlsNode.TrustedPrefix + ".5", new StringContent(values, Encoding.UTF8, "application/json"), Token);
        using var other = await client.PutAsync("/api/handles/0.NA/88.709.79", new StringContent(values, Encoding.UTF8, "application/json"), Token);

        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Contains("\"responseCode\":401", await other.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_certificate_is_refused_even_with_an_admitted_subject_elsewhere()
    {
        using var expired = TestCertificates.Client("node-b.example", notAfter: DateTimeOffset.UtcNow.AddDays(-1));
        using var client = _node.Client(expired);

        var whoami = await client.GetFromJsonAsync<TlsNode.WhoAmI>(TlsNode.WhoAmIPath, Token);

        Assert.False(whoami!.Succeeded);
    }

    [Fact]
    public async Task Without_a_certificate_or_credentials_no_scheme_applies()
    {
        using var client = _node.Client();

        var whoami = await client.GetFromJsonAsync<TlsNode.WhoAmI>(TlsNode.WhoAmIPath, Token);

        Assert.Equal(new TlsNode.WhoAmI(null, false, null, null, null), whoami);
    }

    [Fact]
    public async Task Over_tls_basic_credentials_count_although_plain_http_ones_would_not()
    {
        using var key = RSA.Create(2048);
        using var channel = GrpcChannel.ForAddress($"https://127.0.0.1:{_node.GrpcPort}",
            new GrpcChannelOptions { HttpHandler = new BearerHandler(await _node.AdminTokenAsync(), TestCertificates.Handler(_node.ServerCertificate)) });
        var secret = Values.Text(301, "HS_SECKEY", "tls-s3cret");
        secret.Permissions = "1100";
        var publicKey = Values.Binary(300, "HS_PUBKEY", PublicKeyValue.EncodeRsa(key));
        publicKey.Permissions = "1100";
        await new Registry.RegistryClient(channel).CreateHandleAsync(Values.Create("0.NA/88.709.912", publicKey, secret), cancellationToken: Token);

        using var client = _node.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, TlsNode.WhoAmIPath);
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.EscapeDataString("301:0.NA/88.709.912") + ":tls-s3cret")));
        var whoami = await (await client.SendAsync(request, Token)).Content.ReadFromJsonAsync<TlsNode.WhoAmI>(Token);

        Assert.Equal(new TlsNode.WhoAmI(HandleSchemes.Basic, true, "301:0.NA/88.709.912", NodeClaims.KindAdmin, null), whoami);
    }

    [Fact]
    public async Task Challenge_and_answer_over_https_end_to_end()
    {
        using var key = RSA.Create(2048);
        using var channel = GrpcChannel.ForAddress($"https://127.0.0.1:{_node.GrpcPort}",
            new GrpcChannelOptions { HttpHandler = new BearerHandler(await _node.AdminTokenAsync(), TestCertificates.Handler(_node.ServerCertificate)) });
        var publicKey = Values.Binary(300, "HS_PUBKEY", PublicKeyValue.EncodeRsa(key));
        publicKey.Permissions = "1100";
        await new Registry.RegistryClient(channel).CreateHandleAsync(Values.Create("0.NA/88.709.913", publicKey), cancellationToken: Token);
        using var client = _node.Client();

        var challenge = await client.GetAsync(TlsNode.ChallengePath, Token);
        Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
        var offer = challenge.Headers.WwwAuthenticate.Single(h => h.Scheme == "Handle").Parameter!;
        var sessionId = Parameter(offer, "sessionId");
        var nonce = Convert.FromBase64String(Parameter(offer, "nonce"));
        Assert.Contains(challenge.Headers.WwwAuthenticate, h => h.Scheme == "Basic" && h.Parameter == "realm=\"handle\"");

        var cnonce = RandomNumberGenerator.GetBytes(16);
        var signature = key.SignData([.. nonce, .. cnonce], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var answer = new HttpRequestMessage(HttpMethod.Get, TlsNode.WhoAmIPath);
        answer.Headers.TryAddWithoutValidation("Authorization",
            $"Handle version=\"0\", sessionId=\"{sessionId}\", id=\"300%3A0.NA%2F88.709.913\", type=\"HS_PUBKEY\", alg=\"SHA256\", " +
            $"cnonce=\"{Convert.ToBase64String(cnonce)}\", signature=\"{Convert.ToBase64String(signature)}\"");
        var whoami = await (await client.SendAsync(answer, Token)).Content.ReadFromJsonAsync<TlsNode.WhoAmI>(Token);
        Assert.Equal(new TlsNode.WhoAmI(HandleSchemes.Challenge, true, "300:0.NA/88.709.913", NodeClaims.KindAdmin, null), whoami);

        using var session = new HttpRequestMessage(HttpMethod.Get, TlsNode.WhoAmIPath);
        session.Headers.TryAddWithoutValidation("Authorization", $"Handle sessionId=\"{sessionId}\"");
        var later = await (await client.SendAsync(session, Token)).Content.ReadFromJsonAsync<TlsNode.WhoAmI>(Token);
        Assert.True(later!.Succeeded);
    }

    [Theory]
    [InlineData("Handle")]
    [InlineData("Handle sessionId=\"unterminated")]
    [InlineData("Handle id=\"%zz\", type=\"HS_PUBKEY\"")]
    [InlineData("Basic %%%")]
    public async Task A_malformed_header_over_real_http_fails_cleanly_and_its_challenge_says_why(string header)
    {
        using var client = _node.Client();

        using var request = new HttpRequestMessage(HttpMethod.Get, TlsNode.WhoAmIPath);
        request.Headers.TryAddWithoutValidation("Authorization", header);
        var response = await client.SendAsync(request, Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var whoami = await response.Content.ReadFromJsonAsync<TlsNode.WhoAmI>(Token);
        Assert.False(whoami!.Succeeded);
        Assert.NotNull(whoami.Failure);

        using var challenge = new HttpRequestMessage(HttpMethod.Get, TlsNode.ChallengePath);
        challenge.Headers.TryAddWithoutValidation("Authorization", header);
        var refused = await client.SendAsync(challenge, Token);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    private static string Cert(X509Certificate2 certificate) => "cert:" + certificate.GetCertHashString(HashAlgorithmName.SHA256);

    private static string Parameter(string parameters, string name)
    {
        var start = parameters.IndexOf(name + "=\"", StringComparison.Ordinal) + name.Length + 2;
        return parameters[start..parameters.IndexOf('"', start)];
    }
}
