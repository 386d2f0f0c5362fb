using System.Net;
using System.Text.RegularExpressions;
using Grpc.Core;
using IdResolution.Caching.Redis.Tests.Support;
using IdResolution.Contracts.V1;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Node.Tests.Dashboard;

/// <summary>
/// Who reads the node's status, on every way in (the live stream, <c>GET /v1/admin/status</c>, gRPC
/// GetStatus): administrators only. The page itself is a shell with no data, served from the node alone.
/// </summary>
public sealed partial class DashboardAccessTests : IClassFixture<DashboardAccessTests.Accounts>
{
    private readonly Accounts _node;

    public DashboardAccessTests(Accounts node) => _node = node;

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData(Accounts.Clerk, HttpStatusCode.Forbidden)]
    public async Task The_live_stream_and_the_status_refuse_anyone_but_an_administrator(string? account, HttpStatusCode expected)
    {
        using var http = account is null ? _node.CreateClient() : _node.CreateClientFor(_node.ClerkToken);
        foreach (var path in new[] { "/dashboard/live", "/v1/admin/status" })
        {
            using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == expected, $"{path}: {(int)response.StatusCode}");
            Assert.NotEqual("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.DoesNotContain("figures", body, StringComparison.Ordinal);
            Assert.DoesNotContain("event:", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Grpc_GetStatus_refuses_anonymous_and_non_administrators()
    {
        var anonymous = await Errors.Capture(() => new Administration.AdministrationClient(_node.AnonymousChannel).GetStatusAsync(new GetStatusRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.Status);
        var clerk = await Errors.Capture(() => new Administration.AdministrationClient(_node.ChannelFor(_node.ClerkToken)).GetStatusAsync(new GetStatusRequest()).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, clerk.Status);
    }

    [Fact]
    public async Task Grpc_GetStatus_gives_an_administrator_the_headline_figures_and_dependencies()
    {
        var registry = _node.Registry;
        await registry.CreateHandleAsync(Values.Create("88.709/STATUS-1", Values.Url(1, "https://status.test/1")), cancellationToken: TestContext.Current.CancellationToken);
        var resolution = _node.Resolution;
        for (var i = 0; i < 3; i++)
        {
            await resolution.ResolveAsync(new ResolveRequest { Handle = "88.709/STATUS-1" }, cancellationToken: TestContext.Current.CancellationToken);
        }

        var admin = new Administration.AdministrationClient(_node.Channel);
        NodeStatusReply status = null!;
        await Poll.UntilAsync(async () =>
        {
            status = await admin.GetStatusAsync(new GetStatusRequest(), cancellationToken: TestContext.Current.CancellationToken);
            return status.Dependencies.Any(d => d.Name == "store" && d.State == "up");
        }, "the probe found the store up", TimeSpan.FromSeconds(15));

        Assert.Equal("88.709", status.Prefix);
        Assert.Equal("Healthy", status.Health);
        Assert.True(status.Figures.ResolutionsTotal >= 3, $"{status.Figures.ResolutionsTotal} resolutions");
        Assert.True(status.Figures.RegistrationsTotal >= 1, $"{status.Figures.RegistrationsTotal} registrations");
        Assert.Contains(status.Dependencies, d => d.Name == "redis" && d.State == "not_configured");
        Assert.Equal("not_configured", status.Federation.ParentState);
        Assert.Contains(status.RecentAudit, e => e.Target == "88.709/STATUS-1");
    }

    [Fact]
    public async Task An_administrator_gets_the_live_stream_history_first_then_a_status_every_second()
    {
        using var http = _node.CreateClientFor(_node.AdminToken);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(TimeSpan.FromSeconds(20));
        using var response = await http.GetAsync("/dashboard/live", HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
        var events = new List<string>();
        while (events.Count(e => e == "status") < 2 && await reader.ReadLineAsync(cancel.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                events.Add(line["event: ".Length..]);
            }
        }

        Assert.Equal(["history", "status", "status"], events);
    }

    [Fact]
    public async Task The_page_is_a_shell_without_data_that_loads_nothing_from_elsewhere()
    {
        using var http = _node.CreateClient();
        using var page = await http.GetAsync("/dashboard", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain(_node.Prefix, html, StringComparison.Ordinal);

        var references = Reference().Matches(html).Select(m => m.Groups["url"].Value).ToList();
        Assert.NotEmpty(references);
        foreach (var url in references)
        {
            Assert.StartsWith("/dashboard/", url, StringComparison.Ordinal);
            using var asset = await http.GetAsync(url, TestContext.Current.CancellationToken);
            Assert.True(asset.StatusCode == HttpStatusCode.OK, $"{url}: {(int)asset.StatusCode}");
            var text = await asset.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.DoesNotMatch("(?i)(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}/", text.Replace("http://www.w3.org/2000/svg", string.Empty, StringComparison.Ordinal));
        }
    }

    [GeneratedRegex("(?:src|href)=\"(?<url>[^\"]+)\"")]
    private static partial Regex Reference();

    /// <summary>The node with an account that is not an administrator.</summary>
    public sealed class Accounts : IAsyncLifetime
    {
        public const string Clerk = "clerk";
        private const string ClerkPassword = "clerk-password-for-tests";
        private readonly NodeFactory _factory = new();

        public string Prefix => "88.709";

        public string AdminToken => _factory.AdminToken;

        public string ClerkToken { get; private set; } = string.Empty;

        public Registry.RegistryClient Registry => _factory.Registry;

        public Contracts.V1.Resolution.ResolutionClient Resolution => _factory.Resolution;

        public Grpc.Net.Client.GrpcChannel Channel => _factory.Channel;

        public Grpc.Net.Client.GrpcChannel AnonymousChannel => _factory.AnonymousChannel;

        public Grpc.Net.Client.GrpcChannel ChannelFor(string token) => _factory.ChannelFor(token);

        public HttpClient CreateClient() => _factory.CreateClient();

        public HttpClient CreateClientFor(string token) => _factory.CreateClientFor(token);

        public async ValueTask InitializeAsync()
        {
            await new Administration.AdministrationClient(_factory.Channel).CreateAccountAsync(new CreateAccountRequest { Name = Clerk, Password = ClerkPassword });
            ClerkToken = await Tokens.GetAsync(_factory.CreateClient(), Clerk, ClerkPassword);
        }

        public async ValueTask DisposeAsync() => await _factory.DisposeAsync();
    }
}
