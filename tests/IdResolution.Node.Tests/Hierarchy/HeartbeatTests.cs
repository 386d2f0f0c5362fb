using Grpc.Net.Client;
using IdResolution.Caching.Redis.Tests.Support;
using IdResolution.Contracts.V1;

namespace IdResolution.Node.Tests.Hierarchy;

/// <summary>
/// Heartbeats between real processes (top level and secondary A, heartbeats every second): the top level lists A up
/// with the figures of A's own traffic, late then down while A's process is frozen (SIGSTOP), up again once it runs
/// on, and the frozen time is an incident in the top level's monthly report on A; a child that beats but cannot be
/// reached at its site has incidents from the top level's own probes; a suspended child's refused beats are logged once.
/// </summary>
[Collection(nameof(HierarchyTests))]
public sealed class HeartbeatTests : IAsyncLifetime
{
    private const int Resolutions = 25;
    private const string HeartbeatFailed = "did not go through";
    private const string HeartbeatResumed = "go through again";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly string[] EverySecond = ["--Duties:HeartbeatSeconds=1"];

    // The parent judges by its own interval: two seconds make "late" (four to six seconds of silence) a window a
    // poll cannot miss on a busy machine, while the child still beats every second.
    private static readonly string[] JudgedEveryTwoSeconds = ["--Duties:HeartbeatSeconds=2"];

    private readonly NodeHierarchy _hierarchy = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static string A => NodeHierarchy.PrefixOf(NodeHierarchy.SecondaryA);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _hierarchy.DisposeAsync();

    [Fact]
    public async Task The_top_level_sees_a_child_up_with_its_figures_late_then_down_while_frozen_up_again_after_and_reports_the_gap()
    {
        await _hierarchy.StartAsync(new Dictionary<string, string[]> { [NodeHierarchy.Top] = JudgedEveryTwoSeconds, [NodeHierarchy.SecondaryA] = EverySecond },
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
        List<string> seen = [];
        ChildStatus down;
        DateTimeOffset thawedAt;
        DateTimeOffset thawing;
        await secondary.FreezeAsync();

        // Taken once A is stopped: a gap a loaded machine made before the freeze is another incident, not this one.
        var frozenAt = DateTimeOffset.UtcNow;
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
            thawing = DateTimeOffset.UtcNow;
            await secondary.ThawAsync();
            thawedAt = DateTimeOffset.UtcNow;
        }

        Assert.Equal(["up", "late", "down"], seen);
        Assert.True(down.Since.ToDateTimeOffset() > down.LastHeartbeat.ToDateTimeOffset(), $"down since {down.Since} is after the last heartbeat {down.LastHeartbeat}");
        var back = await UntilAsync(top, c => c.Status == "up", "A shows up again after it runs on");
        Assert.True(back.Since.ToDateTimeOffset() >= down.LastHeartbeat.ToDateTimeOffset(), "up again since the first heartbeat after the freeze");

        var report = await new OperationsAdministration.OperationsAdministrationClient(top).GetMonthlyReportAsync(
            new GetMonthlyReportRequest { Month = $"{thawedAt:yyyy-MM}", Node = A }, cancellationToken: Token);
        // No heartbeat A sent while stopped, so a gap overlaps that time, and the last one lasts until A ran again.
        // It may come in two: on a loaded machine a heartbeat A sent just before the freeze can reach the top level
        // late, ending one incident while A is still stopped and starting the next at once.
        var overlapping = report.Incidents.Where(i => i.Start.ToDateTimeOffset() < thawing && i.End.ToDateTimeOffset() > frozenAt)
            .OrderBy(i => i.End.ToDateTimeOffset()).ToList();
        Assert.NotEmpty(overlapping);
        var incident = overlapping[^1];
        Assert.True(incident.End.ToDateTimeOffset() >= thawing, $"the last incident ends at {incident.End}, before A was thawed at {thawing}");
        Assert.True(incident.Minutes > 0);
        Assert.True(report.AvailabilityPercent < 100, $"availability {report.AvailabilityPercent} % with an incident");
    }

    [Fact]
    public async Task A_suspended_childs_refused_heartbeats_are_logged_once_and_their_return_once()
    {
        await _hierarchy.StartAsync(new Dictionary<string, string[]> { [NodeHierarchy.Top] = EverySecond, [NodeHierarchy.SecondaryA] = EverySecond },
            NodeHierarchy.Top, NodeHierarchy.SecondaryA);
        await _hierarchy.AdmitAsync(NodeHierarchy.SecondaryA);
        var top = _hierarchy[NodeHierarchy.Top].Channel;
        await UntilAsync(top, c => c.Status == "up", "A shows up at the top level");
        var secondary = _hierarchy[NodeHierarchy.SecondaryA];
        var failedBefore = Lines(secondary.Output, HeartbeatFailed);
        var resumedBefore = Lines(secondary.Output, HeartbeatResumed);

        var administration = new Administration.AdministrationClient(top);
        await administration.SetNodeSuspendedAsync(new SetNodeSuspendedRequest { Prefix = A, Suspended = true }, cancellationToken: Token);
        // Down means three intervals without an accepted beat: A has sent (and been refused) at least twice by then.
        await UntilAsync(top, c => c.Status == "down", "A's refused heartbeats leave it down at the top level");
        Assert.Equal(failedBefore + 1, Lines(secondary.Output, HeartbeatFailed));

        await administration.SetNodeSuspendedAsync(new SetNodeSuspendedRequest { Prefix = A, Suspended = false }, cancellationToken: Token);
        await UntilAsync(top, c => c.Status == "up", "A shows up again once reinstated");
        await Poll.UntilAsync(() => Lines(secondary.Output, HeartbeatResumed) > resumedBefore, "A logs that its heartbeats go through again", Patience);
        Assert.Equal((failedBefore + 1, resumedBefore + 1), (Lines(secondary.Output, HeartbeatFailed), Lines(secondary.Output, HeartbeatResumed)));
    }

    [Fact]
    public async Task A_child_that_beats_but_cannot_be_reached_at_its_advertised_site_has_incidents_from_the_parents_failed_probes()
    {
        // A's heartbeats reach the top level, but the site it advertises (and files) is a port nobody listens on.
        var deadSite = $"--Federation:AdvertisedEndpoints:Grpc=http://127.0.0.1:{Infrastructure.NodeProcess.SparePort()}";
        await _hierarchy.StartAsync(new Dictionary<string, string[]> { [NodeHierarchy.Top] = EverySecond, [NodeHierarchy.SecondaryA] = [.. EverySecond, deadSite] },
            NodeHierarchy.Top, NodeHierarchy.SecondaryA);
        await _hierarchy.AdmitAsync(NodeHierarchy.SecondaryA);
        var top = _hierarchy[NodeHierarchy.Top].Channel;
        await UntilAsync(top, c => c.Status == "up", "A shows up at the top level");

        var reports = new OperationsAdministration.OperationsAdministrationClient(top);
        MonthlyReportReply? report = null;
        await Poll.UntilAsync(async () =>
        {
            report = await reports.GetMonthlyReportAsync(new GetMonthlyReportRequest { Month = $"{DateTimeOffset.UtcNow:yyyy-MM}", Node = A }, cancellationToken: Token);
            return report.Incidents.Count > 0;
        }, "the top level's report on A shows the failed probes as an incident", Patience);

        var status = await UntilAsync(top, c => true, "A is listed");
        Assert.Equal("up", status.Status);
        Assert.True(report!.DowntimeMinutes > 0, report.ToString());
        var logged = Lines(_hierarchy[NodeHierarchy.Top].Output, $"The child node {A} does not answer this node's probes");
        Assert.True(logged == 1, $"the failing probes are logged once, not per probe ({logged} times)");
    }

    private static int Lines(string output, string text) => output.Split('\n').Count(line => line.Contains(text, StringComparison.Ordinal));

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
