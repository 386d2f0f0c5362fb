using System.Diagnostics;
using System.Globalization;
using System.Net;
using IdResolution.Caching.Redis.Tests.Infrastructure;
using IdResolution.Caching.Redis.Tests.Support;
using IdResolution.Contracts.V1;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Node.Tests.Dashboard;

/// <summary>
/// The dashboard end to end: a real node process with a real redis-server, known traffic, and the page in
/// headless Chromium. Tolerances: the resolution and registration counts and the errors are exact; the
/// resolution and registration rates are within 10 % of what was sent over the last minute (a second's
/// traffic may fall either side of the window while the test reads); the in-process hit ratio is within
/// a tenth of a percentage point (the page shows one decimal) of the ratio the traffic makes, and within
/// half a percentage point of the node's /metrics (its OpenTelemetry export, another path from the same instruments).
/// </summary>
public sealed class DashboardPageTests : IAsyncLifetime
{
    private static readonly TimeSpan Shown = TimeSpan.FromSeconds(15);
    private readonly TempDirectory _data = new();
    private RedisServer _redis = null!;
    private NodeProcess _node = null!;

    public async ValueTask InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _node = await NodeProcess.StartAsync(_data.Path, TimeSpan.FromSeconds(60),
            $"--Redis:Configuration={_redis.EndPoint}", "--Redis:TimeoutMilliseconds=200");
    }

    public async ValueTask DisposeAsync()
    {
        await _node.DisposeAsync();
        await _redis.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task The_page_shows_the_traffic_sent_charts_it_and_updates_without_a_reload()
    {
        // Each registered handle is resolved Rounds times: its first lookup misses the in-process cache (a
        // registration invalidates, it does not fill) and the rest hit; each missing handle is looked up once, a miss.
        const int Registrations = 5;
        const int Rounds = 8;
        const int Found = Registrations * Rounds;
        const int NotFound = 3;
        const int Sent = Found + NotFound;
        const int TrafficHits = Registrations * (Rounds - 1);
        await using var browser = await DashboardBrowser.LaunchAsync();
        using var traffic = new NodeTraffic(_node);
        var before = await traffic.StatusAsync();
        Assert.Equal(0, NodeTraffic.Figure(before, "resolutionsTotal"));
        var registrationsBefore = NodeTraffic.Figure(before, "registrationsTotal");

        for (var i = 0; i < Registrations; i++)
        {
            await traffic.RegisterAsync($"DASH-{i}");
        }

        // The page signs in before the resolutions, so the node's own reads of the tier (its administrator's account,
        // read at each sign-in and to authorise the registrations) are all counted here, the only part of the ratio
        // the traffic does not make.
        var page = await browser.SignInAsync(_node.HttpPort, Tokens.AdministratorName, Tokens.AdministratorPassword);
        var (ownHits, ownMisses) = await InProcessLookupsAsync();
        Assert.True(ownHits + ownMisses < Sent / 4, $"{ownHits} hits and {ownMisses} misses before any resolution: the node's own reads would swamp the traffic's");
        var trafficRatio = 100 * (ownHits + TrafficHits) / (ownHits + ownMisses + Sent);

        for (var round = 0; round < Rounds; round++)
        {
            for (var i = 0; i < Registrations; i++)
            {
                Assert.Equal(HttpStatusCode.OK, await traffic.ResolveAsync($"DASH-{i}", handleRestApi: (round + i) % 2 == 1));
            }
        }

        for (var i = 0; i < NotFound; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, await traffic.ResolveAsync($"MISSING-{i}"));
        }

        await DashboardBrowser.WaitForTextAsync(page, "#resolutions-total", t => Count(t) == Sent, Shown, $"the page shows {Sent} resolutions");
        await DashboardBrowser.WaitForTextAsync(page, "#registrations-total", t => Count(t) == registrationsBefore + Registrations, Shown,
            $"the page shows {registrationsBefore + Registrations} registrations");
        await DashboardBrowser.WaitForTextAsync(page, "#errors tr[data-code='100'] td.number", t => Count(t) == NotFound, Shown, $"{NotFound} answers with code 100");
        await DashboardBrowser.WaitForTextAsync(page, "#top-prefixes tr[data-prefix='88.709'] td.number", t => Count(t) == Sent, Shown, "the node's prefix leads with every resolution");
        const double Rate = Sent / 60.0;
        await DashboardBrowser.WaitForTextAsync(page, "#resolutions-rate", t => Math.Abs(Number(t) - Rate) <= Rate * 0.1, Shown,
            $"the resolution rate is {Rate:0.00}/s (what was sent in the last minute) within 10 %");

        // The node's own registrations at start (its administrator account) fall in the same minute as the test's.
        var registrationRate = (registrationsBefore + Registrations) / 60.0;
        var registrationRateShown = await DashboardBrowser.WaitForTextAsync(page, "#registrations-rate", t => Math.Abs(Number(t) - registrationRate) <= registrationRate * 0.1, Shown,
            $"the registration rate is {registrationRate:0.000}/s (what was registered in the last minute) within 10 %");
        TestContext.Current.TestOutputHelper?.WriteLine($"registration rate shown {registrationRateShown}/s, sent {registrationRate:0.000}/s");

        var ratioShown = await DashboardBrowser.WaitForTextAsync(page, "#hit-ratios tr[data-tier='in_process'] td.number", t => Math.Abs(Number(t.TrimEnd('%', ' ')) - trafficRatio) <= 0.1, Shown,
            $"the in-process hit ratio is {trafficRatio:0.00} % ({Registrations} handles resolved {Rounds} times each, {NotFound} missing ones once, " +
            $"after the node's own {ownHits} hits and {ownMisses} misses) within 0.1 percentage point");
        TestContext.Current.TestOutputHelper?.WriteLine($"in-process hit ratio shown {ratioShown}, from the traffic {trafficRatio:0.00} % ({ownHits} + {TrafficHits} hits of {ownHits + ownMisses + Sent} lookups)");

        double expectedRatio = double.NaN;
        await Poll.UntilAsync(async () =>
        {
            var (hits, misses) = await InProcessLookupsAsync();
            expectedRatio = 100 * hits / (hits + misses);
            var shown = await page.InnerTextAsync("#hit-ratios tr[data-tier='in_process'] td.number");
            return Math.Abs(Number(shown.TrimEnd('%', ' ')) - expectedRatio) <= 0.5;
        }, "the in-process hit ratio shown matches the node's metrics within half a percentage point", Shown);
        Assert.InRange(expectedRatio, 1, 100);

        var p50 = Number((await page.InnerTextAsync("#p50")).Replace("ms", string.Empty, StringComparison.Ordinal));
        var p99 = Number((await page.InnerTextAsync("#p99")).Replace("ms", string.Empty, StringComparison.Ordinal));
        Assert.True(p50 > 0 && p99 >= p50, $"latency p50 {p50} ms, p99 {p99} ms");
        await DashboardBrowser.WaitForTextAsync(page, "#audit tbody", t => t.Contains("88.709/DASH-4", StringComparison.Ordinal), Shown, "the newest registration is among the audit events");
        Assert.Contains("● up", await page.InnerTextAsync("#dependencies tr[data-dependency='redis'] .state"), StringComparison.Ordinal);
        Assert.Contains("not configured", await page.InnerTextAsync("#fed-parent-state"), StringComparison.Ordinal);

        // A chart point covers 5 s; once one holds the traffic the line rises above zero. A polyline of one point
        // draws nothing, so a second point is waited for too: then the chart (and the screenshot) shows a line.
        await page.WaitForFunctionAsync("""
            () => {
              const line = document.querySelector("#chart-traffic polyline[data-series='resolutions']");
              const ys = (line?.getAttribute("points") ?? "").split(" ").filter(Boolean).map(p => Number(p.split(",")[1]));
              return ys.length > 1 && ys.some(y => y < 197);
            }
            """, null, new() { Timeout = 20_000 });
        Assert.True(int.Parse(await page.GetAttributeAsync("#chart-latency", "data-points") ?? "0", CultureInfo.InvariantCulture) > 0);

        // The stream carries new traffic to the same page: no reload (the marker survives).
        await page.EvaluateAsync("() => { window.__sameDocument = 'yes'; }");
        for (var i = 0; i < 7; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await traffic.ResolveAsync("DASH-0"));
        }

        await DashboardBrowser.WaitForTextAsync(page, "#resolutions-total", t => Count(t) == Sent + 7, Shown, $"the page shows {Sent + 7} resolutions without a reload");
        Assert.Equal("yes", await page.EvaluateAsync<string>("() => window.__sameDocument"));
        var path = await DashboardBrowser.ScreenshotAsync(page, "dashboard");
        Assert.True(new FileInfo(path).Length > 10_000, "the screenshot holds a rendered page");
    }

    [Fact]
    public async Task A_frozen_node_shows_the_connection_lost_and_the_page_reconnects_by_itself_when_it_runs_again()
    {
        const string Live = "#live";
        await using var browser = await DashboardBrowser.LaunchAsync();
        using var traffic = new NodeTraffic(_node);
        var page = await browser.SignInAsync(_node.HttpPort, Tokens.AdministratorName, Tokens.AdministratorPassword);
        await DashboardBrowser.WaitForTextAsync(page, "#resolutions-total", t => Count(t) == 0, Shown, "the page shows no resolutions yet");
        await page.EvaluateAsync("() => { window.__sameDocument = 'yes'; }");

        // SIGSTOP keeps the connection open but silent, which only the page's 5 s watchdog can notice (a
        // closed socket would be seen at once); the finally continues the node whatever fails while it is stopped.
        await _node.FreezeAsync();
        try
        {
            var clock = Stopwatch.StartNew();
            await DashboardBrowser.WaitForTextAsync(page, Live, t => t.Contains("connection lost", StringComparison.Ordinal), TimeSpan.FromSeconds(15),
                "the page says the connection is lost within 15 s of the node stopping (5 s of silence, then the watchdog)");
            TestContext.Current.TestOutputHelper?.WriteLine($"connection lost shown {clock.ElapsedMilliseconds} ms after SIGSTOP");
            await DashboardBrowser.ScreenshotAsync(page, "dashboard-connection-lost");
        }
        finally
        {
            await _node.ThawAsync();
        }

        // Back-off is 5 s at most, then a fresh stream: live again well within 30 s, with no reload.
        await DashboardBrowser.WaitForTextAsync(page, Live, t => t.Trim() == "● live", TimeSpan.FromSeconds(30), "the page says live again after SIGCONT");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, await traffic.ResolveAsync($"AFTER-{i}"));
        }

        await DashboardBrowser.WaitForTextAsync(page, "#resolutions-total", t => Count(t) == 3, Shown, "the figures update on the reconnected stream");
        Assert.Equal("yes", await page.EvaluateAsync<string>("() => window.__sameDocument"));
    }

    [Fact]
    public async Task Killing_redis_turns_its_indicator_down_within_5_seconds_and_up_again_after_its_restart()
    {
        await using var browser = await DashboardBrowser.LaunchAsync();
        var page = await browser.SignInAsync(_node.HttpPort, Tokens.AdministratorName, Tokens.AdministratorPassword);
        const string Redis = "#dependencies tr[data-dependency='redis'] .state";
        await DashboardBrowser.WaitForTextAsync(page, Redis, t => t.Contains("up", StringComparison.Ordinal), Shown, "Redis shows up");

        await _redis.KillAsync();
        var clock = Stopwatch.StartNew();
        await DashboardBrowser.WaitForTextAsync(page, Redis, t => t.Contains("down", StringComparison.Ordinal), TimeSpan.FromSeconds(5), "Redis shows down within 5 s of its death");
        TestContext.Current.TestOutputHelper?.WriteLine($"Redis shown down {clock.ElapsedMilliseconds} ms after the kill, with no traffic");
        await DashboardBrowser.WaitForTextAsync(page, "#health", t => t.Contains("Degraded", StringComparison.Ordinal), Shown, "the node shows Degraded");
        using (var ready = await _node.Http.GetAsync("/readyz", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Equal("Degraded", await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        await DashboardBrowser.ScreenshotAsync(page, "dashboard-redis-down");
        await _redis.RestartAsync();
        await DashboardBrowser.WaitForTextAsync(page, Redis, t => t.Contains("up", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "Redis shows up again after its restart");
        await DashboardBrowser.WaitForTextAsync(page, "#health", t => t.Contains("Healthy", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the node shows Healthy again");
    }

    [Fact]
    public async Task An_anonymous_visitor_sees_only_the_sign_in_and_a_non_administrator_is_refused_on_the_page_and_the_stream()
    {
        await new Administration.AdministrationClient(_node.Channel).CreateAccountAsync(
            new CreateAccountRequest { Name = "clerk", Password = "clerk-password-for-tests" }, cancellationToken: TestContext.Current.CancellationToken);
        await using var browser = await DashboardBrowser.LaunchAsync();

        var anonymous = await browser.OpenAsync(_node.HttpPort);
        Assert.True(await anonymous.IsVisibleAsync("#sign-in-form"));
        Assert.True(await anonymous.IsHiddenAsync("#board"));
        var anonymousStream = await anonymous.EvaluateAsync<int>("async () => (await fetch('/dashboard/live')).status");
        Assert.Equal(401, anonymousStream);

        var page = await browser.OpenAsync(_node.HttpPort);
        await page.FillAsync("#username", "clerk");
        await page.FillAsync("#password", "clerk-password-for-tests");
        await page.ClickAsync("#sign-in-button");
        await DashboardBrowser.WaitForTextAsync(page, "#sign-in-error", t => t.Length > 0, Shown, "the page says why the clerk is refused");
        Assert.True(await page.IsHiddenAsync("#board"), "no figures for a non-administrator");
        Assert.True(await page.IsVisibleAsync("#sign-in-form"));
        var clerkStream = await page.EvaluateAsync<int>("""
            async () => {
              const token = (await (await fetch('/identity/token', { method: 'POST', headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ username: 'clerk', password: 'clerk-password-for-tests' }) })).json()).data.token;
              return (await fetch('/dashboard/live', { headers: { authorization: `Bearer ${token}` } })).status;
            }
            """);
        Assert.Equal(403, clerkStream);
    }

    [Fact]
    public async Task The_token_travels_in_a_header_never_in_a_url()
    {
        await using var browser = await DashboardBrowser.LaunchAsync();
        var urls = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var page = await browser.SignInAsync(_node.HttpPort, Tokens.AdministratorName, Tokens.AdministratorPassword, onRequest: urls.Enqueue);
        var token = await page.EvaluateAsync<string>("() => sessionStorage.getItem('idres.dashboard.token')");
        Assert.False(string.IsNullOrEmpty(token), "the page keeps its token for the tab");
        Assert.Contains(urls, u => u.EndsWith("/dashboard/live", StringComparison.Ordinal));
        Assert.DoesNotContain(urls, u => u.Contains(token, StringComparison.Ordinal));
        Assert.DoesNotContain(token, page.Url, StringComparison.Ordinal);
    }

    /// <summary>The in-process tier's hits and misses since the node started, from its /metrics.</summary>
    private async Task<(double Hits, double Misses)> InProcessLookupsAsync()
    {
        var metrics = await _node.Http.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        return (PrometheusText.Sum(metrics, "idres_cache_hits_total", "tier=\"in_process\""), PrometheusText.Sum(metrics, "idres_cache_misses_total", "tier=\"in_process\""));
    }

    private static double Number(string text) => double.Parse(text.Trim().Replace(",", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);

    private static long Count(string text) => string.IsNullOrWhiteSpace(text) || text.Trim() == "–" ? -1 : (long)Number(text);
}
