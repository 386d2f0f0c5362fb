using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Node.Tests.Dashboard;

/// <summary>Known traffic against a node process, and its status as <c>GET /v1/admin/status</c> reports it.</summary>
internal sealed class NodeTraffic(NodeProcess node, string prefix = "88.709") : IDisposable
{
    private readonly HttpClient _admin = Admin(node);

    public string Prefix => prefix;

    public async Task RegisterAsync(string suffix)
    {
        using var put = await _admin.PutAsync($"/v1/handles/{prefix}/{suffix}", new StringContent(
            """{"values":[{"index":1,"type":"URL","data":{"string":"https://example.org/dashboard"}}]}""", Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);
        Assert.True(put.StatusCode == HttpStatusCode.OK, $"PUT {prefix}/{suffix}: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
    }

    /// <summary>One resolution, anonymously, on the JSON API or the Handle REST API; returns its HTTP status.</summary>
    public async Task<HttpStatusCode> ResolveAsync(string suffix, bool handleRestApi = false)
    {
        var path = handleRestApi ? $"/api/handles/{prefix}/{suffix}" : $"/v1/handles/{prefix}/{suffix}";
        using var response = await node.Http.GetAsync(path, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    public async Task<JsonElement> StatusAsync() =>
        await _admin.GetFromJsonAsync<JsonElement>("/v1/admin/status", TestContext.Current.CancellationToken);

    /// <summary>A figure of the status's <c>figures</c> (absent when zero: the JSON API leaves defaults out).</summary>
    public static double Figure(JsonElement status, string name) =>
        status.GetProperty("figures").TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.String ? double.Parse(value.GetString()!, CultureInfo.InvariantCulture) : value.GetDouble()
            : 0;

    public void Dispose() => _admin.Dispose();

    private static HttpClient Admin(NodeProcess node)
    {
        var client = new HttpClient { BaseAddress = node.Http.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", node.AdminToken);
        return client;
    }
}
