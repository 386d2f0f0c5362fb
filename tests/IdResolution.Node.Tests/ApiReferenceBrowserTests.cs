using System.Diagnostics;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Node.Tests;

/// <summary>
/// The API reference page in a real browser (Debian's Chromium, headless, every host but the node's
/// unreachable): it must render the operations of both HTTP surfaces from assets the node serves itself.
/// </summary>
public sealed class ApiReferenceBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task The_reference_page_renders_the_operations_offline()
    {
        Assert.True(File.Exists(Chromium), "Chromium is missing; tests/run.sh installs it (apt-get install chromium)");
        using var data = new TempDirectory();
        await using var node = await NodeProcess.StartAsync(data.Path, TimeSpan.FromSeconds(60));
        using var profile = new TempDirectory();

        var start = new ProcessStartInfo(Chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile.Path,
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--virtual-time-budget=15000", "--dump-dom", $"http://127.0.0.1:{node.HttpPort}/docs/index.html",
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var browser = Process.Start(start)!;
        var dom = browser.StandardOutput.ReadToEndAsync();
        var errors = browser.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await browser.WaitForExitAsync(deadline.Token);
        var html = await dom;

        Assert.True(html.Contains("opblock-summary-path", StringComparison.Ordinal), "no operation was rendered: " + await errors);
        Assert.Contains("/v1/handles/{handle}", html, StringComparison.Ordinal);
        Assert.Contains("/api/handles/{handle}", html, StringComparison.Ordinal);
        Assert.Contains("IdResolution node", html, StringComparison.Ordinal);
    }
}
