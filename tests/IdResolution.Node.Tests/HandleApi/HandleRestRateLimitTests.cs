using IdResolution.Node.Tests.Infrastructure;
using static IdResolution.Node.Tests.HandleApi.RestNode;

namespace IdResolution.Node.Tests.HandleApi;

/// <summary>/api/handles spends the same budgets as the native surfaces: resolution for resolving, writes for writing and listing.</summary>
public sealed class HandleRestRateLimitTests
{
    [Fact]
    public async Task Writes_and_listing_spend_the_write_budget_and_resolving_the_resolution_budget()
    {
        var ct = TestContext.Current.CancellationToken;
        using var factory = new NodeFactory()
            .With("RateLimits:Resolution:PermitsPerSecond", "0.001").With("RateLimits:Resolution:Burst", "3")
            .With("RateLimits:Writes:PermitsPerSecond", "0.001").With("RateLimits:Writes:Burst", "3");
        var http = factory.CreateAdminClient();

        Assert.Equal(201, (int)(await http.PutAsync("/api/handles/88.709.953/a", Json("""[{"index":1,"type":"URL","data":"https://a.test"}]"""), ct)).StatusCode);
        Assert.Equal(200, (int)(await http.GetAsync("/api/handles?prefix=88.709.953", ct)).StatusCode);
        Assert.Equal(200, (int)(await http.DeleteAsync("/api/handles/88.709.953/a?index=1", ct)).StatusCode);
        Assert.Equal(429, (int)(await http.PutAsync("/api/handles/88.709.953/b", Json("""[{"index":1,"type":"URL","data":"https://b.test"}]"""), ct)).StatusCode);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(404, (int)(await http.GetAsync("/api/handles/88.709.953/b", ct)).StatusCode);
        }

        Assert.Equal(429, (int)(await http.GetAsync("/api/handles/88.709.953/b", ct)).StatusCode);
    }
}
