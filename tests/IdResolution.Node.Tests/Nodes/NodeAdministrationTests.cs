using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using IdResolution.Contracts.V1;
using IdResolution.Core.Security;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Node.Tests.Nodes;

/// <summary>
/// The node administration calls (AdmitNode, ListNodes, SetNodeSuspended, GetNodeIdentity) over gRPC and their
/// JSON routes, for administrators only, with the core's refusals mapped to statuses.
/// </summary>
public sealed class NodeAdministrationTests : IDisposable
{
    private readonly TempDirectory _keys = new();

    public void Dispose() => _keys.Dispose();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_node_is_admitted_listed_suspended_and_reinstated_over_grpc()
    {
        await using var parent = new NodeFactory();
        using var child = new ChildNode("88.709.60");
        var administration = new Administration.AdministrationClient(parent.Channel);
        var request = new AdmitNodeRequest { Prefix = child.Prefix, Name = "secondary-a" };
        request.Credentials.Add(child.Credential);
        request.Credentials.Add("cert:" + new string('6', 64));

        var admitted = (await administration.AdmitNodeAsync(request, cancellationToken: Token)).Node;

        Assert.Equal(("88.709.60", "secondary-a", false), (admitted.Prefix, admitted.Name, admitted.Suspended));
        Assert.Equal(new[] { NodeCredential.ForKey(child.Key).Fingerprint, "cert:" + new string('6', 16) }, admitted.Credentials);
        Assert.DoesNotContain(admitted.Credentials, c => c.Length > 24);
        Assert.InRange(admitted.StatusSince.ToDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal("88.709.60", Assert.Single((await administration.ListNodesAsync(new ListNodesRequest(), cancellationToken: Token)).Nodes).Prefix);

        var suspended = (await administration.SetNodeSuspendedAsync(new SetNodeSuspendedRequest { Prefix = child.Prefix, Suspended = true }, cancellationToken: Token)).Node;
        Assert.True(suspended.Suspended);
        Assert.True((await administration.ListNodesAsync(new ListNodesRequest(), cancellationToken: Token)).Nodes.Single().Suspended);
        var reinstated = (await administration.SetNodeSuspendedAsync(new SetNodeSuspendedRequest { Prefix = child.Prefix }, cancellationToken: Token)).Node;
        Assert.False(reinstated.Suspended);
    }

    [Fact]
    public async Task The_json_routes_admit_list_suspend_and_show_the_identity()
    {
        await using var parent = new NodeFactory();
        using var admin = parent.CreateAdminClient();

        using var admitted = await admin.PostAsJsonAsync("/v1/admin/nodes", new { prefix = "88.709.61", name = "secondary-b", credentials = new[] { "cert:" + new string('a', 64) } }, Token);
        var node = (await admitted.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("node");
        using var listed = await admin.GetAsync("/v1/admin/nodes", Token);
        using var suspended = await admin.PostAsJsonAsync("/v1/admin/nodes/88.709.61:suspend", new { suspended = true }, Token);
        var identity = await admin.GetFromJsonAsync<JsonElement>("/v1/admin/node", Token);

        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        Assert.Equal("secondary-b", node.GetProperty("name").GetString());
        Assert.Equal("cert:aaaaaaaaaaaaaaaa", node.GetProperty("credentials")[0].GetString());
        Assert.Equal("88.709.61", (await listed.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("nodes")[0].GetProperty("prefix").GetString());
        Assert.True((await suspended.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("node").GetProperty("suspended").GetBoolean());
        Assert.Equal("88.709", identity.GetProperty("prefix").GetString());
        Assert.Equal("Secondary", identity.GetProperty("role").GetString());
        Assert.StartsWith("key:", identity.GetProperty("credential").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_identity_is_the_key_made_at_start_with_the_configured_role_and_parent()
    {
        var keyPath = Path.Combine(_keys.Path, "node", "node-key.pem");
        await using var parent = new NodeFactory()
            .With("Federation:NodeKeyPath", keyPath)
            .With("Node:Role", "Enterprise")
            .With("Federation:Parent:Prefix", "88")
            .With("Federation:Parent:Endpoints:0", "http://127.0.0.1:9001")
            .With("Federation:Parent:Endpoints:1", "http://127.0.0.1:9002")
            .With("Federation:AllowInsecure", "true");
        _ = parent.Server;
        Assert.True(File.Exists(keyPath), "the node key is made when the node starts");

        var identity = await new Administration.AdministrationClient(parent.Channel).GetNodeIdentityAsync(new GetNodeIdentityRequest(), cancellationToken: Token);

        using var key = NodeKeyFile.LoadOrCreate(keyPath);
        Assert.Equal(NodeCredential.ForKey(key).ToString(), identity.Credential);
        Assert.Equal("Enterprise", identity.Role);
        Assert.Equal(new[] { "http://127.0.0.1:9001", "http://127.0.0.1:9002" }, identity.ParentEndpoints);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyPath));
        }
    }

    public static TheoryData<string, string, StatusCode, int, string> BadAdmissions => new()
    {
        { "88.709.62", "key:bm90IGEga2V5", StatusCode.InvalidArgument, 202, "not a base64 SubjectPublicKeyInfo" },
        { "88.709.62", "", StatusCode.InvalidArgument, 202, "a node credential is key:" },
        { "99.1", "cert:" + new string('b', 64), StatusCode.FailedPrecondition, 301, "not responsible for '99.1'" },
        { "88.709", "cert:" + new string('b', 64), StatusCode.InvalidArgument, 102, "this node's own prefix" },
        { "88.709.63", "cert:" + new string('c', 64), StatusCode.AlreadyExists, 201, "index 3 of '0.NA/88.709.63'" },
    };

    [Theory]
    [MemberData(nameof(BadAdmissions))]
    public async Task A_bad_admission_is_refused_with_its_code_and_stores_nothing(string prefix, string credential, StatusCode status, int code, string reason)
    {
        await using var parent = new NodeFactory();
        await parent.Registry.CreateHandleAsync(Values.Create("0.NA/88.709.63", Values.Url(3, "https://example.com/taken")), cancellationToken: Token);
        var request = new AdmitNodeRequest { Prefix = prefix, Name = "x" };
        request.Credentials.Add(credential);

        var refused = await Errors.Capture(() => new Administration.AdministrationClient(parent.Channel).AdmitNodeAsync(request, cancellationToken: Token).ResponseAsync);

        Assert.Equal((status, code), (refused.Status, refused.ResponseCode));
        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
        Assert.Empty((await new Administration.AdministrationClient(parent.Channel).ListNodesAsync(new ListNodesRequest(), cancellationToken: Token)).Nodes);
    }

    [Fact]
    public async Task Only_administrators_administer_nodes_and_an_unknown_node_is_not_found()
    {
        await using var parent = new NodeFactory();
        var administration = new Administration.AdministrationClient(parent.Channel);
        await administration.CreateAccountAsync(new CreateAccountRequest { Name = "acme", Password = "acme-password" }, cancellationToken: Token);
        using var acmeHttp = parent.CreateClient();
        var acme = new Administration.AdministrationClient(parent.ChannelFor(await Tokens.GetAsync(acmeHttp, "acme", "acme-password")));
        var anonymous = new Administration.AdministrationClient(parent.AnonymousChannel);
        var admit = new AdmitNodeRequest { Prefix = "88.709.64", Name = "x", Credentials = { "cert:" + new string('d', 64) } };

        Assert.Equal((StatusCode.PermissionDenied, 401), Short(await Errors.Capture(() => acme.AdmitNodeAsync(admit, cancellationToken: Token).ResponseAsync)));
        Assert.Equal((StatusCode.Unauthenticated, 402), Short(await Errors.Capture(() => anonymous.AdmitNodeAsync(admit, cancellationToken: Token).ResponseAsync)));
        Assert.Equal((StatusCode.PermissionDenied, 401), Short(await Errors.Capture(() => acme.ListNodesAsync(new ListNodesRequest(), cancellationToken: Token).ResponseAsync)));
        Assert.Equal((StatusCode.PermissionDenied, 401), Short(await Errors.Capture(() => acme.GetNodeIdentityAsync(new GetNodeIdentityRequest(), cancellationToken: Token).ResponseAsync)));
        Assert.Equal((StatusCode.NotFound, 100), Short(await Errors.Capture(() =>
            administration.SetNodeSuspendedAsync(new SetNodeSuspendedRequest { Prefix = "88.709.64", Suspended = true }, cancellationToken: Token).ResponseAsync)));
        Assert.Empty((await administration.ListNodesAsync(new ListNodesRequest(), cancellationToken: Token)).Nodes);
    }

    private static (StatusCode, int) Short((StatusCode Status, int ResponseCode, string Message) refusal) => (refusal.Status, refusal.ResponseCode);
}
