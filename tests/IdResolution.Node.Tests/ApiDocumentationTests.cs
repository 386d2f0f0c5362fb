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
        Assert.Contains("/api/prefixes", paths);
        Assert.Contains("/v1/admin/nodes", paths);
        Assert.Contains("/v1/admin/escrow", paths);
        Assert.Contains("/v1/admin/escrow/{node}/checksums", paths);
        Assert.Contains("/v1/admin/checksums", paths);
        var prefix = document.GetProperty("paths").GetProperty("/api/prefixes/{prefix}");
        Assert.Equal(["delete", "post"], prefix.EnumerateObject().Select(o => o.Name).Order(StringComparer.Ordinal));
        var resolve = document.GetProperty("paths").GetProperty("/v1/handles/{handle}");
        Assert.True(resolve.TryGetProperty("get", out _) && resolve.TryGetProperty("put", out _) && resolve.TryGetProperty("delete", out _));
    }

    [Fact]
    public async Task The_openapi_document_passes_the_recommended_lint_rules()
    {
        if (await OpenApiLinter.UnavailableBecauseAsync() is { } reason)
        {
            Assert.Skip(reason);
        }

        using var folder = new TempDirectory();
        var document = Path.Combine(folder.Path, "openapi.json");
        await File.WriteAllTextAsync(document, await _http.GetStringAsync("/openapi/v1.json"));

        var problems = await OpenApiLinter.LintAsync(document);

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>What generated clients need: a method name per operation, and a typed error for each client error.</summary>
    [Fact]
    public async Task Every_operation_has_an_operation_id_and_its_client_errors_an_error_schema()
    {
        var document = await _http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var errorSchemas = new[] { "Status", "HandleRestError", "TokenReply" }.Select(name => "#/components/schemas/" + name).ToHashSet(StringComparer.Ordinal);
        var ids = new List<string>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var name = operation.Name + " " + path.Name;
                Assert.True(operation.Value.TryGetProperty("operationId", out var id), name + " has no operationId");
                ids.Add(id.GetString()!);
                var clientErrors = operation.Value.GetProperty("responses").EnumerateObject().Where(r => r.Name.StartsWith('4')).ToList();
                Assert.True(clientErrors.Count > 0, name + " declares no 4xx response");
                foreach (var error in clientErrors)
                {
                    var schema = error.Value.GetProperty("content").GetProperty("application/json").GetProperty("schema");
                    var references = schema.TryGetProperty("oneOf", out var choices) ? choices.EnumerateArray().ToList() : [schema];
                    Assert.All(references, r => Assert.Contains(r.GetProperty("$ref").GetString()!, errorSchemas));
                }
            }
        }

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
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
