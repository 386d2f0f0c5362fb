using Grpc.Net.Client;
using IdResolution.Caching.Redis.Tests.Support;
using IdResolution.Contracts.V1;

namespace IdResolution.Node.Tests.Hierarchy;

/// <summary>
/// Heartbeats between real processes (top level and secondary A, heartbeats every second): the top level lists A up
/// with the figures of A's own traffic, late then down while A's process is frozen (SIGSTOP), up again once it runs
/// on, and the frozen time is an incident in the top level's monthly report on A.
/// </summary>
[Collection(nameof(HierarchyTests))]
public sealed class HeartbeatTests : IAsyncLifetime
{
    private const int Resolutions = 25;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly string[] EverySecond = ["--Duties:HeartbeatSeconds=1"];

    private readonly NodeHierarchy _hierarchy = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static string A => NodeHierarchy.PrefixOf(NodeHierarchy.SecondaryA);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _hierarchy.DisposeAsync();

    [Fact]
    public async Task The_top_level_sees_a_child_up_with_its_figures_late_then_down_while_frozen_up_again_after_and_reports_the_gap()
    {
        await _hierarchy.StartAsync(new Dictionary<string, string[]> { [NodeHierarchy.Top] = EverySecond, [NodeHierarchy.SecondaryA] = EverySecond },
            NodeHierarchy.Top, NodeHierarchy.SecondaryA);
        await _hierarchy.AdmitAsync(NodeHierarchy.SecondaryA);
        var top = _hierarchy[NodeHierarchy.Top].Channel;

        var first = await UntilAsync(top, c => c.Status == "up" && c.Figures is not null, "A shows up with figures at the top level");
        var resolver = new Resolution.ResolutionClient(_hierarchy[NodeHierarchy.SecondaryA].AnonymousChannel);
        for (var i = 0; i < Resolutions; i++)
        {
            await resolver.ResolveAsync(new ResolveRequest { Handle = "0.NA/" + A }, cancellationToken: Token);
        }

        var counted = await UntilAsync(top, c => c.Status == "up" && c.Figures.Resolutions >= first.Figures.Resolutions + Resolutions,
            $"the top level's figures of A count the {Resolutions} resolutions made on A");
        Assert.Equal(first.Figures.StartedAt, counted.Figures.StartedAt);
        Assert.Equal("up", counted.Figures.StoreHealth);
        Assert.False(string.IsNullOrEmpty(counted.Figures.Version));

        var secondary = _hierarchy[NodeHierarchy.SecondaryA];
        var frozenAt = DateTimeOffset.UtcNow;
        List<string> seen = [];
        ChildStatus down;
        DateTimeOffset thawedAt;
        await secondary.FreezeAsync();
        try
        {
            down = await UntilAsync(top, c =>
            {
                if (seen.Count == 0 || seen[^1] != c.Status)
                {
                    seen.Add(c.Status);
                }

                return c.Status == "down";
            }, "A shows down at the top level while frozen");
        }
        finally
        {
            await secondary.ThawAsync();
            thawedAt = DateTimeOffset.UtcNow;
        }

        Assert.Equal(["up", "late", "down"], seen);
        Assert.True(down.Since.ToDateTimeOffset() > down.LastHeartbeat.ToDateTimeOffset(), $"down since {down.Since} is after the last heartbeat {down.LastHeartbeat}");
        var back = await UntilAsync(top, c => c.Status == "up", "A shows up again after it runs on");
        Assert.True(back.Since.ToDateTimeOffset() >= down.LastHeartbeat.ToDateTimeOffset(), "up again since the first heartbeat after the freeze");

        var report = await new OperationsAdministration.OperationsAdministrationClient(top).GetMonthlyReportAsync(
            new GetMonthlyReportRequest { Month = $"{thawedAt:yyyy-MM}", Node = A }, cancellationToken: Token);
        var incident = Assert.Single(report.Incidents, i => i.Start.ToDateTimeOffset() < thawedAt && i.End.ToDateTimeOffset() > frozenAt);
        Assert.True(incident.Minutes > 0);
        Assert.True(report.AvailabilityPercent < 100, $"availability {report.AvailabilityPercent} % with an incident");
    }

    private static async Task<ChildStatus> UntilAsync(GrpcChannel top, Func<ChildStatus, bool> condition, string what)
    {
        var client = new OperationsAdministration.OperationsAdministrationClient(top);
        ChildStatus? found = null;
        await Poll.UntilAsync(async () =>
        {
            var children = await client.ListChildStatusesAsync(new ListChildStatusesRequest(), cancellationToken: Token);
            var child = children.Children.SingleOrDefault(c => c.Prefix == A);
            found = child is not null && condition(child) ? child : null;
            return found is not null;
        }, what, Patience);
        return found!;
    }
}
