using System.Diagnostics;
using System.Globalization;
using IdResolution.Caching.Redis.Tests.Support;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Node.Tests.Dashboard;

/// <summary>The dashboards of a secondary and its top level in headless Chromium: the parent link probed every second, the admitted child listed with its heartbeats.</summary>
[Collection(TwoLevelsCollection.Name)]
public sealed class FederationPageTests
{
    private const string ParentLink = "#dependencies tr[data-dependency='parent'] .state";
    private static readonly TimeSpan Shown = TimeSpan.FromSeconds(15);
    private readonly TwoLevels _fleet;

    public FederationPageTests(TwoLevels fleet) => _fleet = fleet;

    [Fact]
    public async Task Killing_the_top_level_turns_the_parent_link_down_on_the_secondarys_page_within_5_seconds_and_up_after_its_restart()
    {
        await using var browser = await DashboardBrowser.LaunchAsync();
        var page = await browser.SignInAsync(_fleet.Secondary.HttpPort, Tokens.AdministratorName, Tokens.AdministratorPassword);
        await DashboardBrowser.WaitForTextAsync(page, ParentLink, t => t.Contains("up", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the parent link shows up");
        Assert.Equal(TwoLevels.TopPrefix, (await page.InnerTextAsync("#fed-parent")).Trim());

        await _fleet.WithTopLevelKilledAsync(async () =>
        {
            var clock = Stopwatch.StartNew();
            await DashboardBrowser.WaitForTextAsync(page, ParentLink, t => t.Contains("down", StringComparison.Ordinal), TimeSpan.FromSeconds(5),
                "the parent link shows down within 5 s of the top level's death");
            TestContext.Current.TestOutputHelper?.WriteLine($"parent link shown down {clock.ElapsedMilliseconds} ms after the kill");
            await DashboardBrowser.WaitForTextAsync(page, "#fed-parent-state", t => t.Contains("down", StringComparison.Ordinal), Shown, "the federation card shows the link down");
            await DashboardBrowser.WaitForTextAsync(page, "#health", t => t.Contains("Degraded", StringComparison.Ordinal), Shown, "a dead parent degrades the node, it still serves");
            await DashboardBrowser.ScreenshotAsync(page, "dashboard-parent-down");
        });

        // The node link retries a dead parent every few seconds (its circuit), so back within 30 s of the restart.
        await DashboardBrowser.WaitForTextAsync(page, ParentLink, t => t.Contains("up", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the parent link shows up after the restart");
        await DashboardBrowser.WaitForTextAsync(page, "#health", t => t.Contains("Healthy", StringComparison.Ordinal), Shown, "the node shows Healthy again");
    }

    [Fact]
    public async Task The_top_levels_page_lists_the_admitted_secondary_with_a_text_status()
    {
        await using var browser = await DashboardBrowser.LaunchAsync();
        var page = await browser.SignInAsync(_fleet.TopLevel.HttpPort, Tokens.AdministratorName, Tokens.AdministratorPassword);
        var row = $"#children tr[data-child='{TwoLevels.SecondaryPrefix}']";
        await DashboardBrowser.WaitForTextAsync(page, row, t => t.Contains("secondary under test", StringComparison.Ordinal) && t.Contains("up", StringComparison.Ordinal)
            && !t.Contains("no heartbeats yet", StringComparison.Ordinal) && t.Contains("/v1/admin/reports/", StringComparison.Ordinal) && t.Contains(" resolutions, ", StringComparison.Ordinal),
            Shown, "the secondary is listed up, its status in words, with its last heartbeat, its last figures and where its report is");
        Assert.Contains("none (a top level)", await page.InnerTextAsync("#fed-parent"), StringComparison.Ordinal);

        // The availability as the status carries it: its figure, or words while it carries none (never 0 % for "no figure").
        using var top = new NodeTraffic(_fleet.TopLevel, TwoLevels.TopPrefix);
        var expected = string.Empty;
        var shown = string.Empty;
        await Poll.UntilAsync(async () =>
        {
            var child = (await top.StatusAsync()).GetProperty("children").EnumerateArray().Single(c => c.GetProperty("prefix").GetString() == TwoLevels.SecondaryPrefix);
            expected = child.TryGetProperty("availabilityPercent", out var percent)
                ? percent.GetDouble().ToString("N3", CultureInfo.InvariantCulture) + " %" : "no figure yet";
            shown = (await page.InnerTextAsync($"{row} td.availability")).Trim();
            return shown == expected;
        }, "the page shows the availability the status carries", Shown);
        TestContext.Current.TestOutputHelper?.WriteLine($"availability shown: '{shown}'");

        // The report needs the token, so the link fetches it with the header and shows it in a panel, no navigation.
        var month = DateTime.UtcNow.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        await page.ClickAsync($"{row} a.report-link");
        var report = await DashboardBrowser.WaitForTextAsync(page, "#report-text",
            t => t.StartsWith($"# Monthly report {month} — node {TwoLevels.SecondaryPrefix}", StringComparison.Ordinal), Shown, "the clicked report is shown");
        Assert.Contains("| Availability |", report, StringComparison.Ordinal);
        Assert.EndsWith("/dashboard", page.Url, StringComparison.Ordinal);
        await DashboardBrowser.ScreenshotAsync(page, "dashboard-top-level");
    }
}
