using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Node.Tests;

/// <summary>
/// The type-confusion fuzz (<see cref="JsonTypeConfusionTests"/>) reaches only the requests <see cref="JsonSurfaces.All"/>
/// lists, so that list is held against the node's own OpenAPI document: a JSON endpoint added without a fuzz example fails here.
/// </summary>
public sealed class JsonSurfaceCoverageTests(NodeFactory factory) : IClassFixture<NodeFactory>
{
    /// <summary>
    /// Operations with neither a request body nor a query parameter: only their path could be confused, and the fuzz
    /// changes bodies and queries. (The SSE stream, the dashboard, health and metrics are not in the document.)
    /// </summary>
    private static readonly string[] NothingToConfuse =
    [
        "DELETE /api/prefixes/{prefix}",
        "DELETE /v1/admin/accounts/{name}",
        "DELETE /v1/admin/prefixes/{prefix}",
        "DELETE /v1/handles/{handle}",
        "GET /v1/admin/accounts",
        "GET /v1/admin/node",
        "GET /v1/admin/nodes",
        "GET /v1/admin/prefixes",
        "GET /v1/admin/status",
    ];

    [Fact]
    public async Task Every_operation_of_the_openapi_document_has_a_fuzz_example_or_has_nothing_to_confuse()
    {
        using var http = factory.CreateClient();
        var document = await http.GetFromJsonAsync<JsonElement>("/openapi/v1.json", TestContext.Current.CancellationToken);
        var examples = JsonSurfaces.All.Select(e => (e.Method, Path: FuzzTargets.ForWorker(0).Fill(e.Path))).ToList();
        var uncovered = new List<string>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            // "{handle}" stands for any text, slashes included (handles have them); the rest of the template is literal.
            var template = new Regex("^" + Regex.Replace(Regex.Escape(path.Name), @"\\\{[^}]+}", ".+") + "$", RegexOptions.CultureInvariant);
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name != "parameters"))
            {
                var method = operation.Name.ToUpperInvariant();
                var name = method + " " + path.Name;
                if (!examples.Any(e => e.Method == method && template.IsMatch(e.Path)))
                {
                    uncovered.Add(name);
                }

            }
        }

        // Exactly the listed ones: a new endpoint must be given an example or be listed here on purpose, and a listed one that
        // gained an example (or went away) is taken off the list.
        Assert.Equal(NothingToConfuse.Order(StringComparer.Ordinal), uncovered.Order(StringComparer.Ordinal));
    }
}
