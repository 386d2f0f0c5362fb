using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using IdResolution.Contracts.V1;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Node.Tests.Hierarchy;

/// <summary>
/// The whole hierarchy of the README as real processes (top level, two secondaries, an enterprise node):
/// admission, filing, resolution of every node's identifiers through every other node on every surface,
/// the loss of the top level and its return.
/// </summary>
[Collection(nameof(HierarchyTests))]
public sealed class HierarchyTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private readonly NodeHierarchy _hierarchy = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _hierarchy.DisposeAsync();

    [Fact]
    public async Task Every_nodes_identifiers_resolve_through_every_other_node_on_every_surface()
    {
        await _hierarchy.StartAsync();
        await _hierarchy.AdmitAsync(NodeHierarchy.SecondaryA);
        await _hierarchy.AdmitAsync(NodeHierarchy.SecondaryB);
        await _hierarchy.AdmitAsync(NodeHierarchy.Enterprise);
        await AllocateAsync(NodeHierarchy.SecondaryA, "88.709.100", "acme");
        await AllocateAsync(NodeHierarchy.SecondaryA, "88.709.300", "bulk");
        await AllocateAsync(NodeHierarchy.SecondaryB, "88.710.200", "beta");
        Dictionary<string, string> homes = new()
        {
            ["88.709.100/PUMP-1"] = NodeHierarchy.SecondaryA,
            ["88.710.200/VALVE-1"] = NodeHierarchy.SecondaryB,
            ["88.709.911/ABC-0001"] = NodeHierarchy.Enterprise,
        };
        foreach (var (handle, home) in homes)
        {
            await RegisterAsync(home, handle);
        }

        await BulkRegisterAsync(NodeHierarchy.SecondaryA, "88.709.300", 1000);
        foreach (var prefix in new[] { "88.709", "88.710", "88.709.911" })
        {
            await UntilTheTopLevelHasSitesAsync(prefix);
        }

        // First, before B has looked up anything under 88.709: a thousand concurrent resolutions of different
        // handles under one foreign prefix make one referral lookup at the top level.
        var lookupsBefore = await ServedAsync(NodeHierarchy.Top, "referral");
        var resolver = new Resolution.ResolutionClient(_hierarchy[NodeHierarchy.SecondaryB].AnonymousChannel);
        var answers = await Task.WhenAll(Enumerable.Range(0, 1000).Select(async i =>
            (await resolver.ResolveAsync(new ResolveRequest { Handle = Bulk("88.709.300", i) })).Handle));
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => Bulk("88.709.300", i)), answers);
        Assert.Equal(lookupsBefore + 1, await ServedAsync(NodeHierarchy.Top, "referral"));

        foreach (var (handle, home) in homes)
        {
            var atHome = await SurfacesAsync(home, handle);
            foreach (var other in new[] { NodeHierarchy.Top, NodeHierarchy.SecondaryA, NodeHierarchy.SecondaryB, NodeHierarchy.Enterprise }.Where(n => n != home))
            {
                var there = await SurfacesAsync(other, handle);
                Assert.True(atHome == there, $"{handle} through {other} differs from its home {home}:{Environment.NewLine}{there}{Environment.NewLine}at home:{Environment.NewLine}{atHome}");
            }
        }

        // The enterprise edits its own prefix handle (a disaster-recovery site): the edit goes to 88.709 and on to the top level.
        var enterprise = new Registry.RegistryClient(_hierarchy[NodeHierarchy.Enterprise].Channel);
        var site = new SiteValue { Version = 1, ProtocolVersion = "2.10", SerialNumber = 2, HashOption = 2 };
        site.Attributes.Add(new SiteAttribute { Name = "desc", Value = "disaster-recovery site" });
        var edit = new ValuesRequest { Handle = "0.NA/88.709.911" };
        edit.Values.Add(new HandleValue { Index = 5, Type = "HS_SITE", Data = new ValueData { Site = site } });
        await enterprise.AddValuesAsync(edit);
        await Until(async () => (await ResolveAtAsync(NodeHierarchy.Top, "0.NA/88.709.911")).Values
            .Any(v => v.Type == "HS_SITE" && v.Data.Site.Attributes.Any(a => a.Value == "disaster-recovery site")), "the enterprise's site edit at the top level");
    }

    [Fact]
    public async Task Without_its_top_level_the_hierarchy_answers_what_it_has_seen_and_files_what_it_missed_on_return()
    {
        var quick = new[] { "--Federation:ReferralTtlSeconds=1", "--Cache:MaxTtlSeconds=1", "--Federation:StaleRetrySeconds=1", "--Federation:TimeoutMilliseconds=2000" };
        await _hierarchy.StartAsync(new Dictionary<string, string[]> { [NodeHierarchy.SecondaryB] = quick },
            NodeHierarchy.Top, NodeHierarchy.SecondaryA, NodeHierarchy.SecondaryB);
        await _hierarchy.AdmitAsync(NodeHierarchy.SecondaryA);
        await _hierarchy.AdmitAsync(NodeHierarchy.SecondaryB);
        await AllocateAsync(NodeHierarchy.SecondaryA, "88.709.100", "acme");
        await RegisterAsync(NodeHierarchy.SecondaryA, "88.709.100/PUMP-1");
        await UntilTheTopLevelHasSitesAsync("88.709");
        var home = await SurfacesAsync(NodeHierarchy.SecondaryA, "88.709.100/PUMP-1");
        Assert.Equal(home, await SurfacesAsync(NodeHierarchy.SecondaryB, "88.709.100/PUMP-1"));

        await _hierarchy.KillAsync(NodeHierarchy.Top);

        // B's referral and answer expire within a second; it keeps answering from its stale referral, every time.
        await Until(async () =>
        {
            Assert.Equal(home, await SurfacesAsync(NodeHierarchy.SecondaryB, "88.709.100/PUMP-1"));
            return await MetricAsync(NodeHierarchy.SecondaryB, "idres_federation_referrals_total", "source=\"stale\"") > 0;
        }, "B answering from its stale referral");
        Assert.Equal(home, await SurfacesAsync(NodeHierarchy.SecondaryA, "88.709.100/PUMP-1"));

        // A prefix B never saw: code 2, 503, within the call deadline (2 s an attempt, 4 s in all), not a hang.
        var clock = Stopwatch.StartNew();
        using var unseen = await _hierarchy[NodeHierarchy.SecondaryB].Http.GetAsync("/v1/handles/88.711.5/X-1");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unseen.StatusCode);
        Assert.Equal("2", JsonDocument.Parse(await unseen.Content.ReadAsStringAsync()).RootElement.GetProperty("details")[0].GetProperty("metadata").GetProperty("responseCode").GetString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"the unseen prefix took {clock.Elapsed}");

        // Changes made on A while the top level is away: a new prefix, and a prefix suspended and reinstated (two versions).
        await AllocateAsync(NodeHierarchy.SecondaryA, "88.709.400", "late");
        await RegisterAsync(NodeHierarchy.SecondaryA, "88.709.400/NEW-1");
        var admin = new Administration.AdministrationClient(_hierarchy[NodeHierarchy.SecondaryA].Channel);
        await admin.SetPrefixSuspendedAsync(new SetPrefixSuspendedRequest { Prefix = "88.709.100", Suspended = true });
        await admin.SetPrefixSuspendedAsync(new SetPrefixSuspendedRequest { Prefix = "88.709.100", Suspended = false });

        await _hierarchy.RestartAsync(NodeHierarchy.Top);
        await Until(async () => (await TryResolveAtAsync(NodeHierarchy.Top, "0.NA/88.709.400")) is not null, "the prefix allocated during the outage at the top level");
        var late = await SurfacesAsync(NodeHierarchy.SecondaryA, "88.709.400/NEW-1");
        await Until(async () => await SurfacesAsync(NodeHierarchy.SecondaryB, "88.709.400/NEW-1") == late, "the new identifier through B");

        // The top level holds every prefix handle of A at exactly A's version: nothing lost, nothing older on top of newer.
        await Until(async () =>
        {
            foreach (var prefixHandle in await PrefixHandlesAsync(NodeHierarchy.SecondaryA))
            {
                var atA = await new IdResolution.Contracts.V1.Federation.FederationClient(_hierarchy.FederationChannel(NodeHierarchy.SecondaryA))
                    .ResolveAsync(new FederatedResolveRequest { Handle = prefixHandle, Authoritative = true });
                if (await TryResolveAtAsync(NodeHierarchy.Top, prefixHandle) is not { } atTop
                    || atTop.Values.SingleOrDefault(v => v.Type == "IDRES_FILED")?.Data.StringValue != atA.Version.ToString(CultureInfo.InvariantCulture))
                {
                    return false;
                }

                if (prefixHandle == "0.NA/88.709")
                {
                    continue; // A's own prefix handle: only its sites are A's to file; its status is the top level's.
                }

                // The status is not public: read as A's administrator.
                var status = (await ResolveAtAsync(NodeHierarchy.SecondaryA, prefixHandle)).Values.SingleOrDefault(v => v.Type == "IDRES_STATUS")?.Data.StringValue;
                Assert.Equal(status, atTop.Values.SingleOrDefault(v => v.Type == "IDRES_STATUS")?.Data.StringValue);
            }

            return true;
        }, "the top level's copies of A's prefix handles at A's versions");
        Assert.Equal("active", (await ResolveAtAsync(NodeHierarchy.Top, "0.NA/88.709.100")).Values.Single(v => v.Type == "IDRES_STATUS").Data.StringValue);
    }

    private static string Bulk(string prefix, int i) => NodeHierarchy.Bulk(prefix, i);

    private Task AllocateAsync(string node, string prefix, string owner) => _hierarchy.AllocateAsync(node, prefix, owner);

    private async Task RegisterAsync(string node, string handle)
    {
        var request = new CreateHandleRequest { Handle = handle };
        request.Values.Add(new HandleValue { Index = 1, Type = "URL", Data = new ValueData { StringValue = "https://example.com/" + handle } });
        request.Values.Add(new HandleValue { Index = 2, Type = "EMAIL", Data = new ValueData { StringValue = "products@example.com" } });
        await new Registry.RegistryClient(_hierarchy[node].Channel).CreateHandleAsync(request);
    }

    private Task BulkRegisterAsync(string node, string prefix, int count) => _hierarchy.BulkRegisterAsync(node, prefix, 0, count, count);

    /// <summary>Waits until the top level holds the prefix's site (filed by the node that holds it), read at the top level itself.</summary>
    private Task UntilTheTopLevelHasSitesAsync(string prefix) =>
        Until(async () => (await TryResolveAtAsync(NodeHierarchy.Top, "0.NA/" + prefix))?.Values.Any(v => v.Type == "HS_SITE") == true, $"the site of {prefix} at the top level");

    /// <summary>
    /// One handle as each surface of <paramref name="node"/> answers it: gRPC, native JSON, Handle REST (values
    /// only), and where the proxy redirects. Equal strings mean equal answers.
    /// </summary>
    private async Task<string> SurfacesAsync(string node, string handle)
    {
        var process = _hierarchy[node];
        var grpc = await new Resolution.ResolutionClient(process.AnonymousChannel).ResolveAsync(new ResolveRequest { Handle = handle });
        var json = JsonDocument.Parse(await process.Http.GetStringAsync("/v1/handles/" + handle)).RootElement.GetProperty("values").GetRawText();
        var rest = JsonDocument.Parse(await process.Http.GetStringAsync("/api/handles/" + handle)).RootElement.GetProperty("values").GetRawText();
        using var noRedirects = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = process.Http.BaseAddress };
        using var redirect = await noRedirects.GetAsync("/" + handle);
        return string.Join(Environment.NewLine, JsonFormatter.Default.Format(grpc), json, rest, $"{(int)redirect.StatusCode} {redirect.Headers.Location}");
    }

    private async Task<ResolveResponse> ResolveAtAsync(string node, string handle) =>
        await TryResolveAtAsync(node, handle) ?? throw new InvalidOperationException($"{handle} is not at {node}");

    /// <summary>The node's own record of <paramref name="handle"/> (no recursion), or null when it holds none.</summary>
    private async Task<ResolveResponse?> TryResolveAtAsync(string node, string handle)
    {
        try
        {
            var reply = await new Resolution.ResolutionClient(_hierarchy[node].Channel)
                .ResolveAsync(new ResolveRequest { Handle = handle, Authoritative = true, NoRecursion = true });
            return reply.ResponseCode == 1 ? reply : null;
        }
        catch (RpcException exception) when (exception.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task<IReadOnlyList<string>> PrefixHandlesAsync(string node)
    {
        var registry = new Registry.RegistryClient(_hierarchy[node].Channel);
        var handles = new List<string>();
        var token = string.Empty;
        do
        {
            var page = await registry.ListHandlesAsync(new ListHandlesRequest { Prefix = "0.NA", PageSize = 1000, PageToken = token });
            handles.AddRange(page.Handles);
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        return handles;
    }

    private async Task<double> ServedAsync(string node, string method) => await MetricAsync(node, "idres_federation_served_total", $"method=\"{method}\"");

    private async Task<double> MetricAsync(string node, string name, string label) =>
        PrometheusText.Sum(await _hierarchy[node].Http.GetStringAsync("/metrics"), name, label);

    private static Task Until(Func<Task<bool>> condition, string what) => NodeHierarchy.UntilAsync(condition, what, Patience);
}
