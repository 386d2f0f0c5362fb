using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using IdResolution.Caching.Redis.Tests.Support;
using IdResolution.Contracts.V1;
using IdResolution.Core.Storage;
using IdResolution.Node.Tests.Infrastructure;
using CoreRecords = IdResolution.Core.Records;

namespace IdResolution.Node.Tests.Hierarchy;

/// <summary>
/// Emergency takeover with real secondaries (A 88.709 and B 88.710 as processes) under a top level that holds an
/// escrow copy of A (<see cref="EscrowedTopLevel"/>): A is killed, the operator declares the takeover, B's
/// clients get A's identifiers from the escrow copy, A restarting cannot end it, and hand-back restores A.
/// </summary>
[Collection(nameof(HierarchyTests))]
public sealed class TakeoverTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private readonly NodeHierarchy _hierarchy = new();
    private readonly EscrowedTopLevel _top;

    public TakeoverTests() => _top = new EscrowedTopLevel(_hierarchy.PortsOf(NodeHierarchy.Top));

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _hierarchy.DisposeAsync();
        await _top.DisposeAsync();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_killed_node_taken_over_is_served_from_escrow_read_only_survives_its_restart_and_is_handed_back()
    {
        await _top.StartAsync();
        var quick = new[] { "--Federation:ReferralTtlSeconds=1", "--Cache:MaxTtlSeconds=1", "--Federation:StaleRetrySeconds=1", "--Federation:TimeoutMilliseconds=2000" };
        await _hierarchy.StartAsync(new Dictionary<string, string[]>
        {
            [NodeHierarchy.SecondaryA] = ["--Federation:SiteRefreshSeconds=10"],
            [NodeHierarchy.SecondaryB] = quick,
        }, NodeHierarchy.SecondaryA, NodeHierarchy.SecondaryB);
        await _hierarchy.AdmitAsync(NodeHierarchy.SecondaryA, _top.Channel);
        await _hierarchy.AdmitAsync(NodeHierarchy.SecondaryB, _top.Channel);
        var aGrpc = $"http://127.0.0.1:{_hierarchy.PortsOf(NodeHierarchy.SecondaryA).Grpc}";
        var admin = new Administration.AdministrationClient(_hierarchy[NodeHierarchy.SecondaryA].Channel);
        await admin.CreateAccountAsync(new CreateAccountRequest { Name = "acme", Password = "acme-password" }, cancellationToken: Ct);
        await admin.AllocatePrefixAsync(new AllocatePrefixRequest { Prefix = "88.709.100", Owner = "acme" }, cancellationToken: Ct);
        await RegisterOnAAsync("88.709.100/PUMP-1", "registered on A");
        await Poll.UntilAsync(async () => await ReferredToAsync("88.709.100") == aGrpc, "the top level refers 88.709.100 to A", Patience);
        Assert.Equal("registered on A", await DescriptionThroughBAsync("88.709.100/PUMP-1"));

        // The escrow copy as the puller would have left it: the same handle, with a description that shows where an answer came from.
        await _top.Escrow.ApplyChangesAsync("88.709", [new ChangeEntry(1, "88.709.100/PUMP-1", new CoreRecords.HandleRecord("88.709.100/PUMP-1",
        [
            new CoreRecords.HandleValue { Index = 1, Type = "DESC", Data = "from escrow"u8.ToArray() },
            new CoreRecords.HandleValue { Index = 2, Type = "SECRET", Data = "admins only"u8.ToArray(), Permissions = CoreRecords.ValuePermissions.AdminRead | CoreRecords.ValuePermissions.AdminWrite },
        ], 9), 9, DateTimeOffset.UtcNow)], 1, Ct);

        await _hierarchy.KillAsync(NodeHierarchy.SecondaryA);
        var declared = await PostAsync("/v1/admin/nodes/88.709/takeover", new { reason = "88.709 lost power" });
        Assert.Equal(HttpStatusCode.OK, declared.Status);
        Assert.Equal("taken_over", declared.Body.GetProperty("takeover").GetProperty("state").GetString());

        // B's clients get A's identifiers from the top level's escrow copy, public values only; what it lacks is not found.
        await Poll.UntilAsync(async () => await ReferredToAsync("88.709.100") == _top.GrpcUrl, "the top level refers 88.709 to itself", Patience);
        await Poll.UntilAsync(async () => await DescriptionThroughBAsync("88.709.100/PUMP-1") == "from escrow", "B answers PUMP-1 from the escrow copy", Patience);
        var throughB = await new Resolution.ResolutionClient(_hierarchy[NodeHierarchy.SecondaryB].AnonymousChannel)
            .ResolveAsync(new ResolveRequest { Handle = "88.709.100/PUMP-1" }, cancellationToken: Ct);
        Assert.Equal(["DESC"], throughB.Values.Select(v => v.Type));
        var missing = await Errors.Capture(() => new Resolution.ResolutionClient(_hierarchy[NodeHierarchy.SecondaryB].AnonymousChannel)
            .ResolveAsync(new ResolveRequest { Handle = "88.709.100/NEVER" }, cancellationToken: Ct).ResponseAsync);
        Assert.Equal((StatusCode.NotFound, 100), (missing.Status, missing.ResponseCode));

        // Writes at the top level are refused read-only (7, UNAVAILABLE / HTTP 503), and the escrow copy stays as it was.
        var write = new CreateHandleRequest { Handle = "88.709.100/PUMP-9" };
        write.Values.Add(new HandleValue { Index = 1, Type = "DESC", Data = new ValueData { StringValue = "written during takeover" } });
        var refused = await Errors.Capture(() => new Registry.RegistryClient(_top.Channel).CreateHandleAsync(write, cancellationToken: Ct).ResponseAsync);
        Assert.Equal((StatusCode.Unavailable, 7), (refused.Status, refused.ResponseCode));
        Assert.Contains("node 88.709 is under takeover, read-only", refused.Message, StringComparison.Ordinal);
        Assert.Null(await _top.Escrow.GetAsync("88.709", "88.709.100/PUMP-9", Ct));

        // A comes back (its own data; it checks in with its site every 10 s): it learns of the takeover, which goes on.
        await _hierarchy.RestartAsync(NodeHierarchy.SecondaryA);
        await Poll.UntilAsync(async () => (await AuditAsync(NodeHierarchy.SecondaryA)).Contains("takeover_observed"), "A audits the takeover it observed", Patience);
        Assert.True((await StatusOfAAsync()).GetProperty("federation").GetProperty("takenOverByParent").GetBoolean());
        await RegisterOnAAsync("88.709.100/PUMP-2", "registered on A during the takeover");
        Assert.Equal("taken_over", (await GetAsync("/v1/admin/nodes/88.709/takeover")).GetProperty("takeover").GetProperty("state").GetString());
        Assert.Equal(_top.GrpcUrl, await ReferredToAsync("88.709.100"));
        Assert.Equal("from escrow", await DescriptionThroughBAsync("88.709.100/PUMP-1"));

        // Hand-back waits for the escrow to be known caught up (no heartbeat reported A's position), unless forced.
        var early = await PostAsync("/v1/admin/nodes/88.709/handback", new { reason = "A is back" });
        Assert.Equal(HttpStatusCode.BadRequest, early.Status);
        Assert.Contains("ESCROW_BEHIND", early.Body.GetRawText(), StringComparison.Ordinal);
        var back = await PostAsync("/v1/admin/nodes/88.709/handback", new { reason = "A is back", force = true });
        Assert.Equal(HttpStatusCode.OK, back.Status);
        Assert.Equal(("handed_back", true), (back.Body.GetProperty("takeover").GetProperty("state").GetString(), back.Body.GetProperty("takeover").GetProperty("forced").GetBoolean()));

        await Poll.UntilAsync(async () => await ReferredToAsync("88.709.100") == aGrpc, "the top level refers 88.709 to A again", Patience);
        await Poll.UntilAsync(async () => await DescriptionThroughBAsync("88.709.100/PUMP-2") == "registered on A during the takeover", "B resolves A's new handle at A", Patience);
        // B may hold the escrow's answer for its cache TTL (1 s here); then it is A's own again.
        await Poll.UntilAsync(async () => await DescriptionThroughBAsync("88.709.100/PUMP-1") == "registered on A", "B resolves PUMP-1 at A again", Patience);
        await Poll.UntilAsync(async () => (await AuditAsync(NodeHierarchy.SecondaryA)).Contains("hand_back_observed"), "A audits the hand-back it observed", Patience);
        Assert.False((await StatusOfAAsync()).GetProperty("federation").TryGetProperty("takenOverByParent", out _));
        Assert.Single(await AuditAsync(NodeHierarchy.SecondaryA), operation => operation == "takeover_observed");

        var topAudit = await new Administration.AdministrationClient(_top.Channel).QueryAuditAsync(new QueryAuditRequest { Prefix = "88.709" }, cancellationToken: Ct);
        var takeovers = topAudit.Entries.Where(e => e.Operation.StartsWith("takeover_", StringComparison.Ordinal)).ToList();
        Assert.Equal([("takeover_declare", 1), ("takeover_hand_back", 2), ("takeover_hand_back_forced", 1)], takeovers.Select(e => (e.Operation, e.ResponseCode)));
        Assert.Equal(["88.709 lost power", "A is back"], takeovers.Where(e => e.ResponseCode == 1).Select(e => e.Message));
    }

    private async Task RegisterOnAAsync(string handle, string description)
    {
        var request = new CreateHandleRequest { Handle = handle };
        request.Values.Add(new HandleValue { Index = 1, Type = "DESC", Data = new ValueData { StringValue = description } });
        await new Registry.RegistryClient(_hierarchy[NodeHierarchy.SecondaryA].Channel).CreateHandleAsync(request, cancellationToken: Ct);
    }

    /// <summary>The DESC value of <paramref name="handle"/> as an anonymous client of B gets it; null when B cannot answer now.</summary>
    private async Task<string?> DescriptionThroughBAsync(string handle)
    {
        try
        {
            var reply = await new Resolution.ResolutionClient(_hierarchy[NodeHierarchy.SecondaryB].AnonymousChannel)
                .ResolveAsync(new ResolveRequest { Handle = handle }, cancellationToken: Ct);
            return reply.Values.FirstOrDefault(v => v.Type == "DESC")?.Data.StringValue;
        }
        catch (RpcException)
        {
            return null;
        }
    }

    /// <summary>The gRPC URL the top level's referral for <paramref name="prefix"/> names.</summary>
    private async Task<string?> ReferredToAsync(string prefix)
    {
        var reply = await new Contracts.V1.Federation.FederationClient(_top.Channel).GetReferralAsync(new GetReferralRequest { Handle = prefix + "/X" }, cancellationToken: Ct);
        return reply.Referral?.Sites.FirstOrDefault()?.Attributes.FirstOrDefault(a => a.Name == "grpc")?.Value;
    }

    private async Task<List<string>> AuditAsync(string node)
    {
        var reply = await new Administration.AdministrationClient(_hierarchy[node].Channel).QueryAuditAsync(new QueryAuditRequest { Prefix = "88.709" }, cancellationToken: Ct);
        return [.. reply.Entries.Select(e => e.Operation)];
    }

    private async Task<JsonElement> StatusOfAAsync()
    {
        var a = _hierarchy[NodeHierarchy.SecondaryA];
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/admin/status");
        request.Headers.Authorization = new("Bearer", a.AdminToken);
        using var response = await a.Http.SendAsync(request, Ct);
        return JsonDocument.Parse(await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync(Ct)).RootElement.Clone();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, object body)
    {
        using var response = await _top.Http.PostAsJsonAsync(path, body, Ct);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone());
    }

    private async Task<JsonElement> GetAsync(string path) => JsonDocument.Parse(await _top.Http.GetStringAsync(path, Ct)).RootElement.Clone();
}
