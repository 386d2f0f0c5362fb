using System.Text.Json;
using IdResolution.Node.Tests.Security;
using static IdResolution.Node.Tests.HandleApi.RestNode;

namespace IdResolution.Node.Tests.HandleApi;

/// <summary>Writes through /api/handles are decided by the node's one authorisation policy; refusals change nothing.</summary>
public sealed class HandleRestSecurityTests(RestNode node) : IClassFixture<RestNode>
{
    private const string Foreign = "88.709.912/THEIRS";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_denied_write_on_another_enterprises_prefix_leaves_the_store_unchanged()
    {
        using (var created = await node.Admin.PutAsync("/api/handles/" + Foreign, Json("""[{"index":1,"type":"URL","data":"https://theirs.test"}]"""), Ct))
        {
            Assert.Equal(201, (int)created.StatusCode);
        }

        var before = await Snapshot();
        var attempts = new[]
        {
            node.Acme.PutAsync("/api/handles/" + Foreign, Json("""[{"index":1,"type":"URL","data":"https://mine.test"}]"""), Ct),
            node.Acme.PutAsync("/api/handles/" + Foreign + "?index=2", Json("""{"index":2,"type":"URL","data":"https://mine.test"}"""), Ct),
            node.Acme.DeleteAsync("/api/handles/" + Foreign + "?index=1", Ct),
            node.Acme.DeleteAsync("/api/handles/" + Foreign, Ct),
            node.Acme.PutAsync("/api/handles/88.709.912/NEW", Json("""[{"index":1,"type":"URL","data":"https://mine.test"}]"""), Ct),
        };
        foreach (var attempt in attempts)
        {
            var (status, body) = await Read(attempt);
            Assert.Equal((403, 401), (status, body.GetProperty("responseCode").GetInt32()));
        }

        Assert.Equal(before, await Snapshot());
        Assert.Equal(404, (await Read(node.Admin.GetAsync("/api/handles/88.709.912/NEW", Ct))).Status);
    }

    [Fact]
    public async Task Anonymous_writes_over_plain_http_are_403_with_response_code_402_and_no_challenge()
    {
        using var response = await node.Anonymous.PutAsync("/api/handles/88.709.911/ANON", Json("""[{"index":1,"type":"URL","data":"https://a.test"}]"""), Ct);
        Assert.Equal(403, (int)response.StatusCode);
        Assert.Empty(response.Headers.WwwAuthenticate);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(402, body.RootElement.GetProperty("responseCode").GetInt32());
    }

    private async Task<string> Snapshot() => (await Read(node.Admin.GetAsync("/api/handles/" + Foreign, Ct))).Body.GetRawText();
}

/// <summary>Over TLS, AUTHENTICATION_NEEDED is 401 with the Handle scheme's challenge (Handle.Net authenticates only over TLS).</summary>
public sealed class HandleRestTlsTests(TlsNode node) : IClassFixture<TlsNode>
{
    [Fact]
    public async Task Anonymous_writes_over_tls_are_401_with_a_handle_challenge_and_response_code_402()
    {
        using var client = node.Client();
        using var response = await client.PutAsync("/api/handles/88.709.911/ANON", Json("""[{"index":1,"type":"URL","data":"https://a.test"}]"""), TestContext.Current.CancellationToken);

        Assert.Equal(401, (int)response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Handle" && h.Parameter!.Contains("sessionId=", StringComparison.Ordinal) && h.Parameter.Contains("nonce=", StringComparison.Ordinal));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(402, body.RootElement.GetProperty("responseCode").GetInt32());
    }
}
