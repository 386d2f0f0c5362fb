using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using IdResolution.Contracts.V1;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Node.Tests.Nodes;

/// <summary>
/// <c>Authorization: IdresNode &lt;assertion&gt;</c> on a node (88.709) that admits children under its prefix:
/// an admitted child acts as its identity <c>300:0.NA/&lt;prefix&gt;</c> on every surface; a tampered, expired or
/// rotated-out assertion, an unknown node, or a node admitted by certificate only get 401 with Handle code 403
/// and the reason. A suspended child still authenticates; its writes are refused by the core.
/// </summary>
public sealed class NodeAssertionTests : IClassFixture<NodeAssertionTests.Parent>
{
    private readonly NodeFactory _parent;

    public NodeAssertionTests(Parent parent)
    {
        ArgumentNullException.ThrowIfNull(parent);
        _parent = parent.Factory;
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_admitted_child_writes_under_its_prefix_as_its_node_identity_over_json_and_grpc()
    {
        using var child = new ChildNode("88.709.51");
        await ChildNode.AdmitAsync(_parent, child.Prefix, child.Credential);
        using var client = child.Client(_parent);

        using var created = await client.PutAsync("/api/handles/0.NA/88.709.51.1", Json("""[{"index":1,"type":"URL","data":"https://a.example"}]"""), Token);
        var grpc = await new Registry.RegistryClient(child.Channel(_parent)).CreateHandleAsync(
            Values.Create("0.NA/88.709.51.2", Values.Url(1, "https://b.example")), cancellationToken: Token);
        using var outside = await client.PutAsync("/api/handles/0.NA/88.709.52", Json("""[{"index":1,"type":"URL","data":"https://c.example"}]"""), Token);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.True(grpc.Created);
        Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);
        var audit = await new Administration.AdministrationClient(_parent.Channel).QueryAuditAsync(new QueryAuditRequest { Prefix = "88.709.51.1" }, cancellationToken: Token);
        Assert.Equal("node 88.709.51", Assert.Single(audit.Entries).Who);
    }

    public static TheoryData<string, string> Refused => new()
    {
        { "tampered", "is not signed by a key admitted for 88.709.53" },
        { "expired", "the node assertion expired" },
        { "rotated-out", "is not signed by a key admitted for 88.709.53" },
        { "unknown", "no node is admitted for prefix 88.709.54 on this node" },
        { "garbage", "is not a compact ES256 JWS naming its issuer" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_refused_assertion_gets_401_with_code_403_and_the_reason_on_json_and_grpc(string kind, string reason)
    {
        using var child = new ChildNode("88.709.53");
        using var successor = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var stranger = new ChildNode("88.709.54");
        await ChildNode.AdmitAsync(_parent, child.Prefix, child.Credential);
        var assertion = kind switch
        {
            "tampered" => Tamper(child.Assertion()),
            "expired" => child.Assertion(DateTimeOffset.UtcNow.AddMinutes(-5)),
            "rotated-out" => child.Assertion(),
            "unknown" => stranger.Assertion(),
            _ => "not.a.jws",
        };
        if (kind == "rotated-out")
        {
            await ChildNode.AdmitAsync(_parent, child.Prefix, Core.Security.NodeCredential.ForKey(successor).ToString());
        }

        using var client = child.Client(_parent, assertion);
        using var json = await client.GetAsync("/v1/handles/88.709.53/x", Token);
        var grpc = await Errors.Capture(() => new Contracts.V1.Resolution.ResolutionClient(child.Channel(_parent, assertion))
            .ResolveAsync(new ResolveRequest { Handle = "88.709.53/x" }, cancellationToken: Token).ResponseAsync);

        Assert.Equal(HttpStatusCode.Unauthorized, json.StatusCode);
        var body = await json.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.Equal("403", body.GetProperty("details")[0].GetProperty("metadata").GetProperty("responseCode").GetString());
        Assert.Contains(reason, body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal((StatusCode.Unauthenticated, 403), (grpc.Status, grpc.ResponseCode));
        Assert.Contains(reason, grpc.Message, StringComparison.Ordinal);

        if (kind == "rotated-out")
        {
            using var rotated = new HttpClient(_parent.Server.CreateHandler()) { BaseAddress = _parent.Server.BaseAddress };
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/handles/88.709.53/x");
            request.Headers.TryAddWithoutValidation("Authorization", "IdresNode " + child.Assertion(key: successor));
            Assert.Equal(HttpStatusCode.NotFound, (await rotated.SendAsync(request, Token)).StatusCode);
        }
    }

    [Fact]
    public async Task A_node_admitted_by_certificate_only_cannot_sign_assertions()
    {
        using var child = new ChildNode("88.709.55");
        await ChildNode.AdmitAsync(_parent, child.Prefix, "cert:" + new string('5', 64));
        using var client = child.Client(_parent);

        using var refused = await client.GetAsync("/v1/handles/88.709.55/x", Token);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("admitted by its TLS client certificate only", await refused.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_suspended_child_still_authenticates_but_cannot_change_its_prefix()
    {
        using var child = new ChildNode("88.709.56");
        await ChildNode.AdmitAsync(_parent, child.Prefix, child.Credential);
        await new Administration.AdministrationClient(_parent.Channel).SetNodeSuspendedAsync(
            new SetNodeSuspendedRequest { Prefix = child.Prefix, Suspended = true }, cancellationToken: Token);
        using var client = child.Client(_parent);

        using var resolved = await client.GetAsync("/v1/handles/0.NA/88.709.56", Token);
        using var write = await client.PutAsync("/api/handles/0.NA/88.709.56.1", Json("""[{"index":1,"type":"URL","data":"https://a.example"}]"""), Token);

        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        var refusal = await write.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.Equal(401, refusal.GetProperty("responseCode").GetInt32());
        Assert.Contains("suspended", refusal.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_tls_a_node_refuses_assertions_unless_allow_insecure_is_set()
    {
        await using var strict = new NodeFactory();
        using var child = new ChildNode("88.709.57");
        await ChildNode.AdmitAsync(strict, child.Prefix, child.Credential);
        using var client = child.Client(strict);

        using var refused = await client.GetAsync("/v1/handles/88.709.57/x", Token);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("accepted over TLS only (or with Federation:AllowInsecure=true", await refused.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>The same header and signature over a payload that claims a longer lifetime.</summary>
    private static string Tamper(string assertion)
    {
        var parts = assertion.Split('.');
        var payload = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]))!;
        var forged = new Dictionary<string, object>(payload.ToDictionary(p => p.Key, p => (object)p.Value))
        {
            ["exp"] = payload["exp"].GetInt64() + 30,
        };
        return parts[0] + "." + System.Buffers.Text.Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(forged)) + "." + parts[2];
    }

    /// <summary>The parent: a node of prefix 88.709 without TLS, where federation is allowed for development.</summary>
    public sealed class Parent : IAsyncLifetime
    {
        public NodeFactory Factory { get; } = new NodeFactory().With("Federation:AllowInsecure", "true");

        public ValueTask InitializeAsync() => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => Factory.DisposeAsync();
    }
}
