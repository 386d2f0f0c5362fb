using System.Diagnostics;
using Microsoft.Playwright;

namespace IdResolution.Node.Tests.Dashboard;

/// <summary>
/// Debian's Chromium, headless, driven by Playwright (no browser download: the executable path is set).
/// Every host but loopback is unreachable from it, so the page can only work from what the node serves.
/// Skips the test, saying why, where Chromium is not installed.
/// </summary>
internal sealed class DashboardBrowser : IAsyncDisposable
{
    public const string Chromium = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private DashboardBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public static async Task<DashboardBrowser> LaunchAsync()
    {
        if (!File.Exists(Chromium))
        {
            Assert.Skip($"Chromium is not installed at {Chromium} (tests/run.sh installs it: apt-get install chromium); the dashboard browser tests need it");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            ],
        });
        return new DashboardBrowser(playwright, browser);
    }

    /// <summary>Opens the dashboard of the node on <paramref name="httpPort"/> and signs in; returns once the live stream delivered a status.</summary>
    public async Task<IPage> SignInAsync(int httpPort, string name, string password, int width = 1600, int height = 1500, Action<string>? onRequest = null)
    {
        var page = await _browser.NewPageAsync(new() { ViewportSize = new() { Width = width, Height = height } });
        if (onRequest is not null)
        {
            page.Request += (_, request) => onRequest(request.Url);
        }

        await page.GotoAsync($"http://127.0.0.1:{httpPort}/dashboard");
        await page.FillAsync("#username", name);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#sign-in-button");
        await page.WaitForFunctionAsync("() => document.getElementById('live').textContent.includes('live') && document.getElementById('node-prefix').textContent.length > 0");
        return page;
    }

    public async Task<IPage> OpenAsync(int httpPort)
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync($"http://127.0.0.1:{httpPort}/dashboard");
        return page;
    }

    /// <summary>Saves a screenshot of the whole page in the test output's <c>artifacts</c> folder and returns its path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name + ".png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        TestContext.Current.AddAttachment(name, await File.ReadAllBytesAsync(path), "image/png");
        TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {path}");
        return path;
    }

    /// <summary>The text of <paramref name="selector"/>, polled until <paramref name="accept"/> takes it or the deadline passes (then the test fails with the last text).</summary>
    public static async Task<string> WaitForTextAsync(IPage page, string selector, Func<string, bool> accept, TimeSpan within, string what)
    {
        var clock = Stopwatch.StartNew();
        var text = string.Empty;
        while (clock.Elapsed < within)
        {
            var element = await page.QuerySelectorAsync(selector);
            text = element is null ? string.Empty : await element.InnerTextAsync();
            if (accept(text))
            {
                return text;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"gave up after {within.TotalSeconds} s waiting until {what}; '{selector}' showed '{text}'");
        return text;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
