using System.Text.Json;
using System.Text.RegularExpressions;
using static IdResolution.Node.Tests.HandleApi.RestNode;

namespace IdResolution.Node.Tests.HandleApi;

/// <summary>
/// The Handle.Net REST API (<c>/api/handles</c>) against the real host: the documented request and
/// response examples (Handle technical manual ch. 14, summarised in domain.md §4.4–§4.6) compared
/// field by field, the PUT and DELETE variants, listing with paging, and unknown paths.
/// </summary>
public sealed partial class HandleRestApiTests(RestNode node) : IClassFixture<RestNode>
{
    private const string DocumentedValues = """
        {"values":[
         {"index":100,"type":"HS_ADMIN","data":{"format":"admin","value":{"handle":"0.NA/88.709.911","index":200,"permissions":"011111111111"}},"ttl":86400},
         {"index":1,"type":"URL","data":{"format":"string","value":"http://www.handle.net/index.html"},"ttl":86400}]}
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_documented_create_and_resolve_examples_answer_as_handle_net()
    {
        var put = await Read(node.Admin.PutAsync("/api/handles/88.709.911/4000", Json(DocumentedValues), Ct));
        AssertJson(put, 201, """{"responseCode":1,"handle":"88.709.911/4000"}""");

        var get = await Read(node.Anonymous.GetAsync("/api/handles/88.709.911/4000", Ct));
        AssertJson(get, 200, """
            {"responseCode":1,"handle":"88.709.911/4000","values":[
             {"index":1,"type":"URL","data":{"format":"string","value":"http://www.handle.net/index.html"},"ttl":86400,"timestamp":"*"},
             {"index":100,"type":"HS_ADMIN","data":{"format":"admin","value":{"handle":"0.NA/88.709.911","index":200,"permissions":"011111111111"}},"ttl":86400,"timestamp":"*"}]}
            """);
    }

    [Fact]
    public async Task Type_and_index_filters_are_ored_and_no_match_is_values_not_found_with_200()
    {
        await Put("88.709.911/FILTER", """[{"index":1,"type":"URL","data":"https://a.test"},{"index":2,"type":"EMAIL","data":"a@a.test"},{"index":3,"type":"URL.ja","data":"https://ja.test"}]""");

        var ored = await Read(node.Anonymous.GetAsync("/api/handles/88.709.911/FILTER?type=EMAIL&index=3", Ct));
        Assert.Equal("2,3", Indexes(ored.Body));
        var subtypes = await Read(node.Anonymous.GetAsync("/api/handles/88.709.911/FILTER?type=URL.", Ct));
        Assert.Equal("1,3", Indexes(subtypes.Body));
        var authoritative = await Read(node.Anonymous.GetAsync("/api/handles/88.709.911/FILTER?auth=true&index=1", Ct));
        Assert.Equal("1", Indexes(authoritative.Body));

        var none = await Read(node.Anonymous.GetAsync("/api/handles/88.709.911/FILTER?type=HS_ADMIN", Ct));
        AssertJson(none, 200, """{"responseCode":200,"handle":"88.709.911/FILTER","values":[]}""");
    }

    [Fact]
    public async Task An_unknown_handle_is_404_with_response_code_100()
    {
        var get = await Read(node.Anonymous.GetAsync("/api/handles/88.709.911/NOPE", Ct));
        AssertJson(get, 404, """{"responseCode":100,"handle":"88.709.911/NOPE"}""");
    }

    [Fact]
    public async Task Non_public_values_reach_the_owner_unless_public_only_is_asked()
    {
        await Put("88.709.911/PRIVATE", """[{"index":1,"type":"URL","data":"https://p.test"},{"index":2,"type":"INTERNAL","data":"lot 42","permissions":"1100"}]""");

        Assert.Equal("1", Indexes((await Read(node.Anonymous.GetAsync("/api/handles/88.709.911/PRIVATE?publicOnly=false", Ct))).Body));
        var owner = await Read(node.Acme.GetAsync("/api/handles/88.709.911/PRIVATE", Ct));
        Assert.Equal("1,2", Indexes(owner.Body));
        Assert.Equal("1100", owner.Body.GetProperty("values")[1].GetProperty("permissions").GetString());
        Assert.Equal("1", Indexes((await Read(node.Acme.GetAsync("/api/handles/88.709.911/PRIVATE?publicOnly=true", Ct))).Body));
    }

    [Theory]
    [InlineData("""[{"index":1,"type":"URL","data":"https://a.test"}]""")]
    [InlineData("""{"values":[{"index":1,"type":"URL","data":{"format":"string","value":"https://a.test"}}]}""")]
    [InlineData("""{"index":1,"type":"URL","data":"https://a.test"}""")]
    public async Task A_put_body_may_be_an_array_values_or_one_value(string body)
    {
        var handle = "88.709.911/BODY-" + body.Length;
        AssertJson(await Read(node.Acme.PutAsync("/api/handles/" + handle, Json(body), Ct)), 201, $$"""{"responseCode":1,"handle":"{{handle}}"}""");
        var get = await Read(node.Anonymous.GetAsync("/api/handles/" + handle, Ct));
        AssertJson(get, 200, $$"""{"responseCode":1,"handle":"{{handle}}","values":[{"index":1,"type":"URL","data":{"format":"string","value":"https://a.test"},"ttl":86400,"timestamp":"*"}]}""");
    }

    [Fact]
    public async Task Overwrite_false_is_409_on_an_existing_handle_and_true_replaces_with_200()
    {
        await Put("88.709.911/OVER", """[{"index":1,"type":"URL","data":"https://one.test"}]""");

        var refused = await Read(node.Acme.PutAsync("/api/handles/88.709.911/OVER?overwrite=false", Json("""[{"index":1,"type":"URL","data":"https://two.test"}]"""), Ct));
        Assert.Equal((409, 101), (refused.Status, Code(refused.Body)));
        Assert.Equal("https://one.test", Data(await Get("88.709.911/OVER"), 0));
        var same = await Read(node.Acme.PutAsync("/api/handles/88.709.911/OVER?overwrite=false", Json("""[{"index":1,"type":"URL","data":"https://one.test"}]"""), Ct));
        Assert.Equal((409, 101), (same.Status, Code(same.Body)));

        var replaced = await Read(node.Acme.PutAsync("/api/handles/88.709.911/OVER?overwrite=true", Json("""[{"index":1,"type":"URL","data":"https://two.test"}]"""), Ct));
        AssertJson(replaced, 200, """{"responseCode":1,"handle":"88.709.911/OVER"}""");
        Assert.Equal("https://two.test", Data(await Get("88.709.911/OVER"), 0));

        // 201 means the handle was created; an overwrite that brings a new index is still 200.
        var newIndex = await Read(node.Acme.PutAsync("/api/handles/88.709.911/OVER", Json("""[{"index":2,"type":"URL","data":"https://two.test"}]"""), Ct));
        AssertJson(newIndex, 200, """{"responseCode":1,"handle":"88.709.911/OVER"}""");
        Assert.Equal("2", Indexes(await Get("88.709.911/OVER")));

        var created = await Read(node.Acme.PutAsync("/api/handles/88.709.911/OVER-NEW?overwrite=false", Json("""[{"index":1,"type":"URL","data":"https://n.test"}]"""), Ct));
        Assert.Equal((201, 1), (created.Status, Code(created.Body)));
    }

    [Fact]
    public async Task Put_with_index_adds_or_modifies_only_those_values()
    {
        await Put("88.709.911/INDEXED", """[{"index":1,"type":"URL","data":"https://one.test"}]""");

        var added = await Read(node.Acme.PutAsync("/api/handles/88.709.911/INDEXED?index=2", Json("""{"index":2,"type":"EMAIL","data":"a@b.test"}"""), Ct));
        AssertJson(added, 200, """{"responseCode":1,"handle":"88.709.911/INDEXED"}""");
        var modified = await Read(node.Acme.PutAsync("/api/handles/88.709.911/INDEXED?index=2", Json("""{"index":2,"type":"EMAIL","data":"c@d.test"}"""), Ct));
        Assert.Equal((200, 1), (modified.Status, Code(modified.Body)));
        var various = await Read(node.Acme.PutAsync("/api/handles/88.709.911/INDEXED?index=various", Json("""[{"index":1,"type":"URL","data":"https://uno.test"},{"index":3,"type":"URL","data":"https://three.test"}]"""), Ct));
        Assert.Equal((200, 1), (various.Status, Code(various.Body)));

        var values = await Get("88.709.911/INDEXED");
        Assert.Equal("1,2,3", Indexes(values));
        Assert.Equal(["https://uno.test", "c@d.test", "https://three.test"], [Data(values, 0), Data(values, 1), Data(values, 2)]);

        var mismatch = await Read(node.Acme.PutAsync("/api/handles/88.709.911/INDEXED?index=4", Json("""{"index":5,"type":"URL","data":"https://x.test"}"""), Ct));
        Assert.Equal((400, 4), (mismatch.Status, Code(mismatch.Body)));
        var exists = await Read(node.Acme.PutAsync("/api/handles/88.709.911/INDEXED?index=2&overwrite=false", Json("""{"index":2,"type":"EMAIL","data":"x@y.test"}"""), Ct));
        Assert.Equal((409, 201), (exists.Status, Code(exists.Body)));
        Assert.Equal("1,2,3", Indexes(await Get("88.709.911/INDEXED")));
    }

    [Fact]
    public async Task Mint_new_suffix_appends_a_unique_suffix_and_returns_the_handle()
    {
        var first = await Read(node.Acme.PutAsync("/api/handles/88.709.911/?mintNewSuffix=true", Json("""[{"index":1,"type":"URL","data":"https://m.test"}]"""), Ct));
        var second = await Read(node.Acme.PutAsync("/api/handles/88.709.911/?mintNewSuffix=true", Json("""[{"index":1,"type":"URL","data":"https://m.test"}]"""), Ct));

        Assert.Equal((201, 1), (first.Status, Code(first.Body)));
        var minted = first.Body.GetProperty("handle").GetString()!;
        Assert.StartsWith("88.709.911/", minted, StringComparison.Ordinal);
        Assert.True(minted.Length > "88.709.911/".Length + 7);
        Assert.NotEqual(minted, second.Body.GetProperty("handle").GetString());
        Assert.Equal("https://m.test", Data(await Get(minted), 0));
    }

    [Fact]
    public async Task Delete_removes_given_indexes_or_the_whole_record()
    {
        await Put("88.709.911/DEL", """[{"index":1,"type":"URL","data":"https://1.test"},{"index":2,"type":"URL","data":"https://2.test"},{"index":3,"type":"URL","data":"https://3.test"}]""");

        AssertJson(await Read(node.Acme.DeleteAsync("/api/handles/88.709.911/DEL?index=1&index=3", Ct)), 200, """{"responseCode":1,"handle":"88.709.911/DEL"}""");
        Assert.Equal("2", Indexes(await Get("88.709.911/DEL")));
        var missing = await Read(node.Acme.DeleteAsync("/api/handles/88.709.911/DEL?index=9", Ct));
        Assert.Equal((400, 200), (missing.Status, Code(missing.Body)));

        AssertJson(await Read(node.Acme.DeleteAsync("/api/handles/88.709.911/DEL", Ct)), 200, """{"responseCode":1,"handle":"88.709.911/DEL"}""");
        Assert.Equal(404, (await Read(node.Anonymous.GetAsync("/api/handles/88.709.911/DEL", Ct))).Status);
        Assert.Equal((404, 100), await StatusAndCode(node.Acme.DeleteAsync("/api/handles/88.709.911/DEL", Ct)));
    }

    [Fact]
    public async Task Listing_pages_from_zero_and_page_size_zero_counts_or_lists_all()
    {
        for (var i = 0; i < 5; i++)
        {
            await node.Admin.PutAsync($"/api/handles/88.709.915/L{i}", Json("""[{"index":1,"type":"URL","data":"https://l.test"}]"""), Ct);
        }

        var page = await Read(node.Admin.GetAsync("/api/handles?prefix=88.709.915&page=1&pageSize=2", Ct));
        AssertJson(page, 200, """{"responseCode":1,"prefix":"88.709.915","totalCount":"5","page":1,"pageSize":2,"handles":["88.709.915/L2","88.709.915/L3"]}""");
        var count = await Read(node.Admin.GetAsync("/api/handles?prefix=88.709.915&page=0&pageSize=0", Ct));
        AssertJson(count, 200, """{"responseCode":1,"prefix":"88.709.915","totalCount":"5","page":0,"pageSize":0,"handles":[]}""");
        var all = await Read(node.Admin.GetAsync("/api/handles?prefix=88.709.915&pageSize=0", Ct));
        Assert.Equal(5, all.Body.GetProperty("handles").GetArrayLength());
        Assert.Equal(5, (await Read(node.Admin.GetAsync("/api/handles?prefix=0.NA/88.709.915", Ct))).Body.GetProperty("handles").GetArrayLength());
        var past = await Read(node.Admin.GetAsync("/api/handles?prefix=88.709.915&page=7&pageSize=2", Ct));
        Assert.Equal(("5", 0), (past.Body.GetProperty("totalCount").GetString(), past.Body.GetProperty("handles").GetArrayLength()));
    }

    [Fact]
    public async Task Listing_needs_authentication_and_the_list_bit()
    {
        Assert.Equal((403, 402), await StatusAndCode(node.Anonymous.GetAsync("/api/handles?prefix=88.709.911", Ct)));
        Assert.Equal((403, 401), await StatusAndCode(node.Acme.GetAsync("/api/handles?prefix=88.709.912", Ct)));
        Assert.Equal((200, 1), await StatusAndCode(node.Acme.GetAsync("/api/handles?prefix=88.709.911", Ct)));
    }

    [Theory]
    [InlineData("GET", "/api/nothing")]
    [InlineData("GET", "/api")]
    [InlineData("POST", "/api/handles/88.709.911/X")]
    [InlineData("GET", "/api/sessions/this")]
    public async Task Unknown_api_paths_are_404_with_response_code_4(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        AssertJson(await Read(node.Anonymous.SendAsync(request, Ct)), 404, """{"responseCode":4}""");
    }

    private async Task Put(string handle, string body)
    {
        using var response = await node.Acme.PutAsync("/api/handles/" + handle, Json(body), Ct);
        Assert.Equal(201, (int)response.StatusCode);
    }

    private async Task<JsonElement> Get(string handle)
    {
        var (status, body) = await Read(node.Admin.GetAsync("/api/handles/" + handle, Ct));
        Assert.Equal(200, status);
        return body;
    }

    private static async Task<(int, int)> StatusAndCode(Task<HttpResponseMessage> request)
    {
        var (status, body) = await Read(request);
        return (status, Code(body));
    }

    private static int Code(JsonElement body) => body.GetProperty("responseCode").GetInt32();

    private static string Indexes(JsonElement body) => string.Join(',', body.GetProperty("values").EnumerateArray().Select(v => v.GetProperty("index").GetInt32()));

    private static string? Data(JsonElement body, int position) => body.GetProperty("values")[position].GetProperty("data").GetProperty("value").GetString();

    /// <summary>
    /// Compares status and JSON field by field: the same properties (none missing, none extra),
    /// arrays in order; an expected <c>"*"</c> for a timestamp asks for <c>yyyy-MM-ddTHH:mm:ssZ</c>.
    /// </summary>
    internal static void AssertJson((int Status, JsonElement Body) actual, int status, string expected)
    {
        Assert.Equal(status, actual.Status);
        using var document = JsonDocument.Parse(expected);
        AssertElement(document.RootElement, actual.Body, "$");
    }

    private static void AssertElement(JsonElement expected, JsonElement actual, string path)
    {
        if (expected.ValueKind == JsonValueKind.String && expected.GetString() == "*")
        {
            Assert.Matches(Timestamp(), actual.GetString() ?? string.Empty);
            return;
        }

        Assert.True(expected.ValueKind == actual.ValueKind, $"{path}: expected {expected.ValueKind}, got {actual.ValueKind} ({actual})");
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var names = expected.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
                Assert.True(names.SequenceEqual(actual.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)), $"{path}: fields differ: {actual}");
                foreach (var property in expected.EnumerateObject())
                {
                    AssertElement(property.Value, actual.GetProperty(property.Name), path + "." + property.Name);
                }

                break;
            case JsonValueKind.Array:
                Assert.True(expected.GetArrayLength() == actual.GetArrayLength(), $"{path}: lengths differ: {actual}");
                for (var i = 0; i < expected.GetArrayLength(); i++)
                {
                    AssertElement(expected[i], actual[i], $"{path}[{i}]");
                }

                break;
            default:
                Assert.True(expected.GetRawText() == actual.GetRawText(), $"{path}: expected {expected.GetRawText()}, got {actual.GetRawText()}");
                break;
        }
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")]
    private static partial Regex Timestamp();
}
