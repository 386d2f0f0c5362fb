using System.Net;
using IdResolution.Contracts.V1;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Node.Tests;

/// <summary>The load harness's baselines: no-op answers on the node's own server, through the same middleware and budget as resolution.</summary>
public sealed class BaselineEndpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ping_answers_over_grpc_and_the_http_baselines_answer_a_resolve_sized_json_and_a_302()
    {
        await using var factory = new NodeFactory();
        using var http = factory.CreateClient(new() { AllowAutoRedirect = false });

        var pong = await new Contracts.V1.Resolution.ResolutionClient(factory.AnonymousChannel).PingAsync(new PingRequest(), cancellationToken: Ct);
        var get = await http.GetAsync("/v1/ping", Ct);
        var redirect = await http.GetAsync("/v1/ping/redirect", Ct);

        Assert.NotNull(pong);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("application/json", get.Content.Headers.ContentType?.MediaType);
        Assert.Equal(199, (await get.Content.ReadAsByteArrayAsync(Ct)).Length);
        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
        Assert.Equal("https://example.org/ping", redirect.Headers.Location?.ToString());
    }

    [Fact]
    public async Task The_baselines_spend_the_resolution_budget()
    {
        await using var factory = new NodeFactory()
            .With("RateLimits:Resolution:PermitsPerSecond", "1")
            .With("RateLimits:Resolution:Burst", "2");
        using var http = factory.CreateClient(new() { AllowAutoRedirect = false });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20 && !statuses.Contains(HttpStatusCode.TooManyRequests); i++)
        {
            statuses.Add((await http.GetAsync(i % 2 == 0 ? "/v1/ping" : "/v1/ping/redirect", Ct)).StatusCode);
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }
}
