using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using IdResolution.Contracts.V1;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Node.Tests.Nodes;

/// <summary>
/// Requests of an admitted child node spend <c>RateLimits:Peers</c>, whatever they call, and not the
/// resolution or write budgets other clients have; over it they get 429 / RESOURCE_EXHAUSTED with code 3.
/// </summary>
public sealed class PeersBudgetTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_child_spends_its_own_peers_budget_on_resolves_and_writes_alike()
    {
        await using var parent = new NodeFactory()
            .With("Federation:AllowInsecure", "true")
            .With("RateLimits:Resolution:PermitsPerSecond", "0.001")
            .With("RateLimits:Resolution:Burst", "2")
            .With("RateLimits:Writes:PermitsPerSecond", "0.001")
            .With("RateLimits:Writes:Burst", "2")
            .With("RateLimits:Peers:PermitsPerSecond", "0.001")
            .With("RateLimits:Peers:Burst", "5");
        using var child = new ChildNode("88.709.70");
        await ChildNode.AdmitAsync(parent, child.Prefix, child.Credential);
        using var client = child.Client(parent);

        // Three resolves and two writes: more than the resolution and the write budget hold, within the peers budget.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var resolved = await client.GetAsync("/v1/handles/88.709.70/none", Token);
            statuses.Add(resolved.StatusCode);
        }

        for (var i = 0; i < 2; i++)
        {
            using var written = await client.PutAsync($"/api/handles/0.NA/88.709.70.{i}",
                new StringContent("""[{"index":1,"type":"URL","data":"https://a.example"}]""", Encoding.UTF8, "application/json"), Token);
            statuses.Add(written.StatusCode);
        }

        using var over = await client.GetAsync("/v1/handles/88.709.70/none", Token);
        var grpc = await Errors.Capture(() => new Contracts.V1.Resolution.ResolutionClient(child.Channel(parent))
            .ResolveAsync(new ResolveRequest { Handle = "88.709.70/none" }, cancellationToken: Token).ResponseAsync);
        using var anonymous = parent.CreateClient();
        using var others = await anonymous.GetAsync("/v1/handles/88.709.70/none", Token);

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.Created, HttpStatusCode.Created], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
        Assert.NotNull(over.Headers.RetryAfter);
        var refusal = await over.Content.ReadFromJsonAsync<JsonElement>(Token);
        Assert.Contains("RateLimits:Peers", refusal.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("3", refusal.GetProperty("details")[0].GetProperty("metadata").GetProperty("responseCode").GetString());
        Assert.Equal((StatusCode.ResourceExhausted, 3), (grpc.Status, grpc.ResponseCode));
        Assert.Equal(HttpStatusCode.NotFound, others.StatusCode);
    }
}
