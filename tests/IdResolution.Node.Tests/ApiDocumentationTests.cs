using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Node.Tests;

/// <summary>The OpenAPI document and its reference page, which must work on a node without internet access.</summary>
public sealed partial class ApiDocumentationTests : IClassFixture<NodeFactory>
{
    private readonly HttpClient _http;

    public ApiDocumentationTests(NodeFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _http = factory.CreateClient();
    }

    [Fact]
    public async Task The_openapi_document_describes_the_http_surfaces()
    {
        var document = await _http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/v1/handles/{handle}", paths);
        Assert.Contains("/v1/handles:batchCreate", paths);
        Assert.Contains("/v1/prefixes/{prefix}/handles", paths);
        Assert.Contains("/v1/admin/prefixes", paths);
        Assert.Contains("/identity/token", paths);
        Assert.Contains("/api/handles/{handle}", paths);
        Assert.Contains("/api/handles", paths);
        var resolve = document.GetProperty("paths").GetProperty("/v1/handles/{handle}");
        Assert.True(resolve.TryGetProperty("get", out _) && resolve.TryGetProperty("put", out _) && resolve.TryGetProperty("delete", out _));
    }

    [Fact]
    public async Task The_reference_page_loads_every_asset_from_the_node_itself()
    {
        var page = await _http.GetStringAsync("/docs/index.html");
        var assets = Asset().Matches(page).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(assets);
        foreach (var asset in assets)
        {
            Assert.False(Uri.TryCreate(asset, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal), asset);
            var response = await _http.GetAsync("/docs/" + asset.TrimStart('.', '/'));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var initializer = await _http.GetStringAsync("/docs/index.js");
        Assert.Contains("/openapi/v1.json", initializer, StringComparison.Ordinal);
    }

    [GeneratedRegex("(?:src|href)=\"([^\"]+)\"")]
    private static partial Regex Asset();
}
