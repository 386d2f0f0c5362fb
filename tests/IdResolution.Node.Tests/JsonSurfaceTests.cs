using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Node.Tests;

/// <summary>The same services over HTTP/JSON (gRPC JSON transcoding), as curl users and the README walk-through see them.</summary>
public sealed class JsonSurfaceTests : IClassFixture<NodeFactory>
{
    private readonly HttpClient _http;

    public JsonSurfaceTests(NodeFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _http = factory.CreateAdminClient();
    }

    [Fact]
    public async Task The_readme_walk_through_works_end_to_end()
    {
        var put = await _http.PutAsync("/v1/handles/88.709.911/ABC-0001",
            Json("""{"values":[{"index":1,"type":"URL","data":{"string":"https://example.com/products/abc-0001"}}]}"""));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var created = await Body(put);
        Assert.True(created.GetProperty("created").GetBoolean());
        Assert.Equal(1, created.GetProperty("responseCode").GetInt32());

        var get = await _http.GetAsync("/v1/handles/88.709.911/abc-0001");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        var resolved = await Body(get);
        Assert.Equal("88.709.911/ABC-0001", resolved.GetProperty("handle").GetString());
        var value = Assert.Single(resolved.GetProperty("values").EnumerateArray());
        Assert.Equal("https://example.com/products/abc-0001", value.GetProperty("data").GetProperty("string").GetString());
        Assert.Equal(86400, value.GetProperty("ttlSeconds").GetInt32());
        Assert.EndsWith("Z", value.GetProperty("timestamp").GetString(), StringComparison.Ordinal);

        var list = await Body(await _http.GetAsync("/v1/prefixes/88.709.911/handles?pageSize=10"));
        Assert.Contains("88.709.911/ABC-0001", list.GetProperty("handles").EnumerateArray().Select(h => h.GetString()));

        var delete = await _http.DeleteAsync("/v1/handles/88.709.911/ABC-0001");
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        var after = await _http.GetAsync("/v1/handles/88.709.911/ABC-0001");
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
        Assert.Equal(100, await ResponseCode(after));
    }

    [Fact]
    public async Task Non_ascii_and_percent_encoded_handles_resolve()
    {
        var put = await _http.PutAsync("/v1/handles/88.709.911/%E4%BA%A7%E5%93%81-001",
            Json("""{"values":[{"index":1,"type":"URL","data":{"string":"https://example.com/cn"}}]}"""));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var resolved = await Body(await _http.GetAsync("/v1/handles/88.709.911/产品-001"));
        Assert.Equal("88.709.911/产品-001", resolved.GetProperty("handle").GetString());
    }

    [Fact]
    public async Task Errors_map_to_http_statuses_with_the_handle_response_code()
    {
        await _http.PutAsync("/v1/handles/88.709.915/E-1", Json("""{"values":[{"index":1,"type":"URL","data":{"string":"https://e.test"}}]}"""));

        var exists = await _http.PutAsync("/v1/handles/88.709.915/E-1", Json("""{"values":[{"index":2,"type":"URL","data":{"string":"https://x.test"}}]}"""));
        Assert.Equal((HttpStatusCode.Conflict, 101), (exists.StatusCode, await ResponseCode(exists)));

        var missing = await _http.PostAsync("/v1/values:remove", Json("""{"handle":"88.709.915/E-1","indexes":[7]}"""));
        Assert.Equal((HttpStatusCode.NotFound, 200), (missing.StatusCode, await ResponseCode(missing)));

        var duplicate = await _http.PostAsync("/v1/values:add", Json("""{"handle":"88.709.915/E-1","values":[{"index":3,"type":"A"},{"index":3,"type":"B"}]}"""));
        Assert.Equal((HttpStatusCode.Conflict, 201), (duplicate.StatusCode, await ResponseCode(duplicate)));

        var badHex = await _http.PostAsync("/v1/values:add", Json("""{"handle":"88.709.915/E-1","values":[{"index":4,"type":"BIN","data":{"hex":"zz"}}]}"""));
        Assert.Equal((HttpStatusCode.BadRequest, 202), (badHex.StatusCode, await ResponseCode(badHex)));

        var resolved = await Body(await _http.GetAsync("/v1/handles/88.709.915/E-1"));
        Assert.Equal("https://e.test", Assert.Single(resolved.GetProperty("values").EnumerateArray()).GetProperty("data").GetProperty("string").GetString());
    }

    [Theory]
    [InlineData("/v1/handles/88.709.911/%01control")]
    [InlineData("/v1/handles/88..709/empty-segment")]
    [InlineData("/v1/handles/no-slash")]
    [InlineData("/v1/handles/88.709.911/%20padded%20")]
    public async Task Invalid_identifiers_are_refused_with_102(string path)
    {
        var response = await _http.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(102, await ResponseCode(response));
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_identifier_over_the_limit_is_refused_and_nothing_is_stored()
    {
        var handle = "88.709.916/" + new string('x', 245);
        var response = await _http.PutAsync("/v1/handles/" + handle, Json("""{"values":[{"index":1,"type":"URL","data":{"string":"https://l.test"}}]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(102, await ResponseCode(response));
        var list = await Body(await _http.GetAsync("/v1/prefixes/88.709.916/handles"));
        Assert.True(!list.TryGetProperty("handles", out var handles) || handles.GetArrayLength() == 0);
    }

    [Theory]
    [InlineData("{\"values\":[{\"index\":1,")]
    [InlineData("{\"values\":\"not-a-list\"}")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"values\":[{\"index\":-1,\"type\":\"URL\"}]}")]
    [InlineData("{\"values\":[{\"index\":1,\"type\":\"URL\",\"data\":{\"base64\":\"***\"}}]}")]
    public async Task Malformed_json_is_a_400_and_the_stored_record_is_unchanged(string body)
    {
        await _http.PutAsync("/v1/handles/88.709.917/M-1", Json("""{"values":[{"index":1,"type":"URL","data":{"string":"https://m.test"}}],"overwrite":true}"""));

        var response = await _http.PutAsync("/v1/handles/88.709.917/M-1?overwrite=true", Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        var resolved = await Body(await _http.GetAsync("/v1/handles/88.709.917/M-1"));
        Assert.Equal("https://m.test", Assert.Single(resolved.GetProperty("values").EnumerateArray()).GetProperty("data").GetProperty("string").GetString());
    }

    [Fact]
    public async Task A_10_mb_body_is_refused_before_parsing()
    {
        var huge = "{\"values\":[{\"index\":1,\"type\":\"URL\",\"data\":{\"string\":\"" + new string('a', 10 * 1024 * 1024) + "\"}}]}";
        var response = await _http.PutAsync("/v1/handles/88.709.918/huge", Json(huge));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(4, await ResponseCode(response));

        var after = await _http.GetAsync("/v1/handles/88.709.918/huge");
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
    }

    [Fact]
    public async Task A_batch_of_2001_items_is_refused_with_protocol_error()
    {
        var items = string.Join(",", Enumerable.Range(0, 2001).Select(i => $$$"""{"handle":"88.709.919/b-{{{i}}}","values":[{"index":1,"type":"URL","data":{"string":"https://b.test"}}]}"""));
        var response = await _http.PostAsync("/v1/handles:batchCreate", Json("{\"items\":[" + items + "]}"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(4, await ResponseCode(response));
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/v1/handles/88.709.919/b-0")).StatusCode);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> Body(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>());

    private static async Task<int> ResponseCode(HttpResponseMessage response)
    {
        var body = await Body(response);
        var info = body.GetProperty("details").EnumerateArray()
            .Single(d => d.GetProperty("@type").GetString() == "type.googleapis.com/google.rpc.ErrorInfo");
        return int.Parse(info.GetProperty("metadata").GetProperty("responseCode").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
    }
}
