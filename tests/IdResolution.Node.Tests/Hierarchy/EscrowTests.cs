using System.Net;
using System.Net.Http.Headers;
using IdResolution.Contracts.V1;
using IdResolution.Core.Duties;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Node.Tests.Hierarchy;

/// <summary>
/// The top level's escrow of a secondary (88.709) as real processes: it pulls the secondary's change log into a
/// copy apart from its own handles, reports its lag as a metric, resumes from the position it applied after the
/// feed is cut (the top level killed and started again while the secondary keeps writing), falls back to a dump
/// when the secondary's retention dropped entries it had not applied, and each time ends with the count and
/// checksum of every prefix equal to the secondary's own: nothing missing, nothing twice.
/// </summary>
[Collection(nameof(HierarchyTests))]
public sealed class EscrowTests : IAsyncLifetime
{
    private const string Child = "88.709";
    private const string Bulk = "88.709.300";
    private const string Dumped = "was rebuilt from a dump";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(150);
    private static readonly string[] QuickEscrow = ["--Escrow:PollMilliseconds=100", "--Federation:TimeoutMilliseconds=3000"];

    private readonly NodeHierarchy _hierarchy = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _hierarchy.DisposeAsync();

    [Fact]
    public async Task Twenty_thousand_identifiers_of_a_secondary_reach_the_top_levels_escrow_and_the_lag_gauges_fall_to_zero()
    {
        await StartAsync();
        await _hierarchy.BulkRegisterAsync(NodeHierarchy.SecondaryA, Bulk, 0, 20_000, 2_000);

        var own = await UntilCaughtUpAsync();
        Assert.Equal(20_000ul, own.Prefixes.Single(p => p.Prefix == Bulk).Count);

        // The gauges, read as an operator reads them: a series for the child, at zero once caught up.
        await NodeHierarchy.UntilAsync(async () =>
        {
            var metrics = await _hierarchy[NodeHierarchy.Top].Http.GetStringAsync("/metrics");
            Assert.Contains("idres_escrow_lag_entries{", metrics, StringComparison.Ordinal);
            return PrometheusText.Sum(metrics, "idres_escrow_lag_entries", $"node=\"{Child}\"") == 0
                && PrometheusText.Sum(metrics, "idres_escrow_lag_seconds", $"node=\"{Child}\"") == 0;
        }, "the escrow lag gauges at zero", Patience, TopLog);

        var copy = (await Administration(NodeHierarchy.Top).ListEscrowAsync(new ListEscrowRequest())).Copies.Single(c => c.Node == Child);
        Assert.Equal(own.Records, copy.Records);
        Assert.False(copy.DumpOpen);
        Assert.Equal(0ul, copy.LagEntries);
        Assert.True(copy.AppliedPosition >= own.Position, $"applied {copy.AppliedPosition}, the child's dump stood at {own.Position}");

        // The copy is kept apart: the top level's own store holds none of the child's identifiers.
        var top = await Administration(NodeHierarchy.Top).GetChecksumsAsync(new GetChecksumsRequest());
        Assert.DoesNotContain(top.Prefixes, p => p.Prefix == Bulk);

        // The same figures over HTTP, for administrators only.
        using var anonymous = await _hierarchy[NodeHierarchy.Top].Http.GetAsync("/v1/admin/escrow");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/admin/escrow/{Child}/checksums");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _hierarchy[NodeHierarchy.Top].AdminToken);
        using var checksums = await _hierarchy[NodeHierarchy.Top].Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, checksums.StatusCode);
        Assert.Contains(own.Prefixes.Single(p => p.Prefix == Bulk).Checksum, await checksums.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_feed_cut_by_restarting_the_top_level_resumes_from_the_applied_position_with_no_gap_and_no_duplicate()
    {
        await StartAsync();
        await UntilCaughtUpAsync();
        var writer = _hierarchy.BulkRegisterAsync(NodeHierarchy.SecondaryA, Bulk, 0, 10_000, 500);

        // Cut the feed once the copy has some of the stream but not all of it.
        await NodeHierarchy.UntilAsync(async () => (await CopyAsync()).Records > 1_000, "the escrow part-way through the stream", Patience, TopLog);
        var before = (await CopyAsync()).AppliedPosition;
        await _hierarchy.KillAsync(NodeHierarchy.Top);
        await _hierarchy.RestartAsync(NodeHierarchy.Top);

        // What was applied before the kill is still applied: the position was durable with its records.
        Assert.True((await CopyAsync()).AppliedPosition >= before);
        await writer;

        var own = await UntilCaughtUpAsync();
        Assert.Equal(10_000ul, own.Prefixes.Single(p => p.Prefix == Bulk).Count);
        Assert.DoesNotContain(Dumped, _hierarchy[NodeHierarchy.Top].Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_secondarys_retention_dropped_what_the_copy_lacks_the_top_level_rebuilds_it_from_a_dump()
    {
        await StartAsync(["--ChangeLog:MaxEntries=20"]);
        await _hierarchy.BulkRegisterAsync(NodeHierarchy.SecondaryA, Bulk, 0, 30, 30);
        await UntilCaughtUpAsync();

        await _hierarchy.KillAsync(NodeHierarchy.Top);
        await _hierarchy.BulkRegisterAsync(NodeHierarchy.SecondaryA, Bulk, 30, 300, 100);

        // Retention runs once a minute: the secondary reports the parent's position as gone once it has run.
        await NodeHierarchy.UntilAsync(async () =>
        {
            var secondary = _hierarchy[NodeHierarchy.SecondaryA];
            using var ready = await secondary.Http.GetAsync("/readyz");
            return PrometheusText.Sum(await secondary.Http.GetStringAsync("/metrics"), "idres_escrow_deposit_lag_entries") == EscrowDeposit.MaxCountedLag;
        }, "the secondary's retention dropping entries the escrow had not applied", Patience, TopLog);

        await _hierarchy.RestartAsync(NodeHierarchy.Top);
        var own = await UntilCaughtUpAsync();
        Assert.Equal(330ul, own.Prefixes.Single(p => p.Prefix == Bulk).Count);
        Assert.Contains(Dumped, _hierarchy[NodeHierarchy.Top].Output, StringComparison.Ordinal);
    }

    /// <summary>The top level and secondary A, A admitted, a prefix allocated on A, and A's site known at the top level.</summary>
    private async Task StartAsync(string[]? secondary = null)
    {
        await _hierarchy.StartAsync(new Dictionary<string, string[]> { [NodeHierarchy.Top] = QuickEscrow, [NodeHierarchy.SecondaryA] = [.. QuickEscrow, .. secondary ?? []] },
            NodeHierarchy.Top, NodeHierarchy.SecondaryA);
        await _hierarchy.AdmitAsync(NodeHierarchy.SecondaryA);
        await _hierarchy.AllocateAsync(NodeHierarchy.SecondaryA, Bulk, "bulk");
        await NodeHierarchy.UntilAsync(async () => (await Administration(NodeHierarchy.Top).ListEscrowAsync(new ListEscrowRequest())).Copies.Any(c => c.Node == Child && c.AppliedAt is not null),
            "the top level keeping a copy of the secondary", Patience, TopLog);
    }

    private Task<ChecksumsReply> UntilCaughtUpAsync() => _hierarchy.UntilEscrowEqualsAsync(NodeHierarchy.SecondaryA, Patience);

    private string TopLog() => _hierarchy.LogTail(NodeHierarchy.Top);

    private Task<EscrowCopyInfo> CopyAsync() => _hierarchy.EscrowCopyAsync(NodeHierarchy.SecondaryA);

    private EscrowAdministration.EscrowAdministrationClient Administration(string node) => new(_hierarchy[node].Channel);
}
