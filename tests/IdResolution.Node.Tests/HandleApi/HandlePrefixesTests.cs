using System.Text.Json;
using static IdResolution.Node.Tests.HandleApi.RestNode;

namespace IdResolution.Node.Tests.HandleApi;

/// <summary>
/// Handle.Net's prefix endpoints on a node of prefix 88.709 (acme owns 88.709.911, other 88.709.912):
/// <c>GET /api/prefixes</c> lists what the node holds, <c>POST /api/prefixes/{p}</c> homes a prefix (repeatable),
/// <c>DELETE /api/prefixes/{p}</c> unhomes it; administrators only.
/// </summary>
public sealed class HandlePrefixesTests : IClassFixture<RestNode>
{
    private readonly RestNode _node;

    public HandlePrefixesTests(RestNode node) => _node = node;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Homing_creates_the_prefix_handle_once_and_the_listing_shows_it_after_the_nodes_own_prefix()
    {
        var (created, body) = await Read(_node.Admin.PostAsync("/api/prefixes/88.709.40", null, Token));
        var (again, repeated) = await Read(_node.Admin.PostAsync("/api/prefixes/0.NA%2F88.709.40", null, Token));
        var (listed, listing) = await Read(_node.Admin.GetAsync("/api/prefixes", Token));

        Assert.Equal(201, created);
        Assert.Equal("""{"responseCode":1,"handle":"0.NA/88.709.40"}""", body.GetRawText());
        Assert.Equal(200, again);
        Assert.Equal(1, repeated.GetProperty("responseCode").GetInt32());
        Assert.Equal(200, listed);
        var prefixes = listing.GetProperty("prefixes").EnumerateArray().Select(p => p.GetString()).ToList();
        Assert.Equal("0.NA/88.709", prefixes[0]);
        Assert.Contains("0.NA/88.709.40", prefixes);
        Assert.Contains("0.NA/88.709.911", prefixes);
        Assert.Equal(prefixes.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), listing.GetProperty("totalCount").GetString());
        var (status, status2) = await Read(_node.Admin.GetAsync("/api/handles/0.NA/88.709.40", Token));
        Assert.Equal(200, status);
        Assert.Equal("IDRES_STATUS", Assert.Single(status2.GetProperty("values").EnumerateArray()).GetProperty("type").GetString());
    }

    [Fact]
    public async Task An_owner_given_as_query_or_json_body_gets_the_prefix_allocated()
    {
        var (byQuery, _) = await Read(_node.Admin.PostAsync("/api/prefixes/88.709.41?owner=acme", null, Token));
        var (byBody, _) = await Read(_node.Admin.PostAsync("/api/prefixes/88.709.42", Json("""{"owner":"other"}"""), Token));
        var (taken, refusal) = await Read(_node.Admin.PostAsync("/api/prefixes/88.709.41?owner=other", null, Token));
        var (same, _) = await Read(_node.Admin.PostAsync("/api/prefixes/88.709.41?owner=acme", null, Token));

        Assert.Equal((201, 201, 409, 200), (byQuery, byBody, taken, same));
        Assert.Equal(101, refusal.GetProperty("responseCode").GetInt32());
        Assert.Contains("allocated to acme", refusal.GetProperty("message").GetString(), StringComparison.Ordinal);
        using var acmeWrite = await _node.Acme.PutAsync("/api/handles/88.709.41/x", Json("""[{"index":1,"type":"URL","data":"https://a.example"}]"""), Token);
        Assert.Equal(201, (int)acmeWrite.StatusCode);
    }

    [Fact]
    public async Task Unhoming_removes_an_empty_prefix_and_refuses_one_with_handles()
    {
        await Read(_node.Admin.PostAsync("/api/prefixes/88.709.43", null, Token));
        await Read(_node.Admin.PostAsync("/api/prefixes/88.709.44", null, Token));
        using var put = await _node.Admin.PutAsync("/api/handles/88.709.44/kept", Json("""[{"index":1,"type":"URL","data":"https://a.example"}]"""), Token);
        Assert.Equal(201, (int)put.StatusCode);

        var (removed, body) = await Read(_node.Admin.DeleteAsync("/api/prefixes/88.709.43", Token));
        var (gone, missing) = await Read(_node.Admin.DeleteAsync("/api/prefixes/88.709.43", Token));
        var (kept, refusal) = await Read(_node.Admin.DeleteAsync("/api/prefixes/0.NA/88.709.44", Token));

        Assert.Equal(200, removed);
        Assert.Equal("""{"responseCode":1,"handle":"0.NA/88.709.43"}""", body.GetRawText());
        Assert.Equal((404, 100), (gone, missing.GetProperty("responseCode").GetInt32()));
        Assert.Equal((400, 4), (kept, refusal.GetProperty("responseCode").GetInt32()));
        var (_, listing) = await Read(_node.Admin.GetAsync("/api/prefixes", Token));
        var prefixes = listing.GetProperty("prefixes").EnumerateArray().Select(p => p.GetString()).ToList();
        Assert.DoesNotContain("0.NA/88.709.43", prefixes);
        Assert.Contains("0.NA/88.709.44", prefixes);
    }

    public static TheoryData<string, string, string?, int, int> Refusals => new()
    {
        { "POST", "/api/prefixes/99.1", null, 400, 102 },
        { "POST", "/api/prefixes/88..1", null, 400, 102 },
        { "POST", "/api/prefixes/88.709.45?owner=nobody", null, 404, 100 },
        { "POST", "/api/prefixes/88.709.45", "[1]", 400, 4 },
        { "POST", "/api/prefixes/88.709.45", "{\"owner\":5}", 400, 4 },
        { "POST", "/api/prefixes/88.709.45", "{", 400, 4 },
        { "POST", "/api/prefixes/", null, 400, 4 },
        { "DELETE", "/api/prefixes/99.1", null, 400, 301 },
        { "GET", "/api/prefixes?page=x", null, 400, 4 },
        { "GET", "/api/prefixes/88.709.911", null, 405, 4 },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Bad_requests_are_refused_with_handle_codes_and_change_nothing(string method, string path, string? body, int status, int code)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body is null ? null : Json(body) };

        var (answered, refusal) = await Read(_node.Admin.SendAsync(request, Token));

        Assert.Equal((status, code), (answered, refusal.GetProperty("responseCode").GetInt32()));
        var (_, held) = await Read(_node.Admin.GetAsync("/api/handles/0.NA/88.709.45", Token));
        Assert.Equal(100, held.GetProperty("responseCode").GetInt32());
    }

    [Fact]
    public async Task Only_administrators_list_home_or_unhome()
    {
        var (anonymousHome, anonymous) = await Read(_node.Anonymous.PostAsync("/api/prefixes/88.709.46", null, Token));
        var (acmeHome, acme) = await Read(_node.Acme.PostAsync("/api/prefixes/88.709.46", null, Token));
        var (acmeList, _) = await Read(_node.Acme.GetAsync("/api/prefixes", Token));
        var (acmeUnhome, _) = await Read(_node.Acme.DeleteAsync("/api/prefixes/88.709.911", Token));

        // Over plain HTTP an anonymous write is 403 with code 402, as on /api/handles.
        Assert.Equal((403, 402), (anonymousHome, anonymous.GetProperty("responseCode").GetInt32()));
        Assert.Equal((403, 401), (acmeHome, acme.GetProperty("responseCode").GetInt32()));
        Assert.Equal((403, 403), (acmeList, acmeUnhome));
        var (_, held) = await Read(_node.Admin.GetAsync("/api/handles/0.NA/88.709.911", Token));
        Assert.Equal(1, held.GetProperty("responseCode").GetInt32());
    }

    [Fact]
    public async Task The_listing_pages_as_handle_listings_do()
    {
        var (_, all) = await Read(_node.Admin.GetAsync("/api/prefixes", Token));
        var everything = all.GetProperty("prefixes").EnumerateArray().Select(p => p.GetString()).ToList();

        var (status, page) = await Read(_node.Admin.GetAsync("/api/prefixes?page=1&pageSize=1", Token));
        var (_, count) = await Read(_node.Admin.GetAsync("/api/prefixes?page=0&pageSize=0", Token));

        Assert.Equal(200, status);
        Assert.Equal((1, 1), (page.GetProperty("page").GetInt32(), page.GetProperty("pageSize").GetInt32()));
        Assert.Equal(everything[1], Assert.Single(page.GetProperty("prefixes").EnumerateArray()).GetString());
        Assert.Empty(count.GetProperty("prefixes").EnumerateArray());
        Assert.Equal(JsonValueKind.String, count.GetProperty("totalCount").ValueKind);
    }
}
