using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using static IdResolution.Node.Tests.HandleApi.RestNode;

namespace IdResolution.Node.Tests.HandleApi;

/// <summary>
/// PUT /api/handles/{h} as a Handle.Net client meets it: 201 only when the handle was created, and
/// every body the node cannot take refused with 400 and responseCode 4 before anything is stored.
/// Anonymous writes are refused before the body is read.
/// </summary>
public sealed class HandleRestPutTests(RestNode node) : IClassFixture<RestNode>
{
    private const string Url1 = """[{"index":1,"type":"URL","data":"https://one.test"}]""";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Creating_is_201_and_every_put_on_an_existing_handle_is_200_even_when_it_adds_indexes()
    {
        const string handle = "88.709.911/STATUS";
        Assert.Equal((201, 1), await Put(handle, Url1));

        // Plain overwrite that adds index 2, index=N with a new N, index=various mixing an existing and a new index.
        Assert.Equal((200, 1), await Put(handle, """[{"index":1,"type":"URL","data":"https://one.test"},{"index":2,"type":"URL","data":"https://two.test"}]"""));
        Assert.Equal((200, 1), await Put(handle + "?index=3", """{"index":3,"type":"EMAIL","data":"a@b.test"}"""));
        Assert.Equal((200, 1), await Put(handle + "?index=various", """[{"index":1,"type":"URL","data":"https://uno.test"},{"index":4,"type":"URL","data":"https://four.test"}]"""));
        Assert.Equal((200, 1), await Put(handle + "?index=5&overwrite=false", """{"index":5,"type":"URL","data":"https://five.test"}"""));
        Assert.Equal((200, 1), await Put(handle, """[{"index":1,"type":"URL","data":"https://uno.test"},{"index":6,"type":"URL","data":"https://six.test"}]"""));

        Assert.Equal("1,6", Indexes(await Get(handle)));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData(null)]
    public async Task A_body_that_is_not_declared_json_is_refused_naming_the_expected_type(string? contentType)
    {
        var handle = "88.709.911/CT-" + (contentType?.Length ?? 0);
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Url1));
        if (contentType is not null)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        var (status, body) = await Read(node.Admin.PutAsync("/api/handles/" + handle, content, Ct));

        Assert.Equal((400, 4), (status, Code(body)));
        Assert.Contains("application/json", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(404, (await Read(node.Admin.GetAsync("/api/handles/" + handle, Ct))).Status);
    }

    [Theory]
    [InlineData("""{"hdlct":"x"}""")]
    [InlineData("""{"type":"URL","data":"https://a.test"}""")]
    [InlineData("""{"values":{"index":1,"type":"URL","data":"https://a.test"}}""")]
    [InlineData("""{"values":[1]}""")]
    [InlineData("""[[{"index":1,"type":"URL","data":"https://a.test"}]]""")]
    [InlineData("null")]
    [InlineData("\"a value\"")]
    public async Task A_json_body_that_is_not_values_is_a_protocol_error_and_stores_nothing(string json)
    {
        var handle = "88.709.911/SHAPE-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..12];

        Assert.Equal((400, 4), await Put(handle, json));
        Assert.Equal(404, (await Read(node.Admin.GetAsync("/api/handles/" + handle, Ct))).Status);
    }

    [Theory]
    [InlineData("""{"handle":"88.709.911/OTHER","values":[{"index":1,"type":"URL","data":"https://a.test"}]}""")]
    [InlineData("""{"handle":"88.709.912/MINE","values":[{"index":1,"type":"URL","data":"https://a.test"}]}""")]
    [InlineData("""{"handle":"88.709.911/MINE ","values":[{"index":1,"type":"URL","data":"https://a.test"}]}""")]
    [InlineData("""{"handle":"88.709.911/OTHER","index":1,"type":"URL","data":"https://a.test"}""")]
    [InlineData("""{"handle":1,"values":[{"index":1,"type":"URL","data":"https://a.test"}]}""")]
    [InlineData("""{"handle":null,"values":[{"index":1,"type":"URL","data":"https://a.test"}]}""")]
    public async Task A_body_naming_another_handle_than_the_url_is_refused_and_nothing_is_stored(string json)
    {
        var (status, body) = await Read(node.Admin.PutAsync("/api/handles/88.709.911/MINE", Json(json), Ct));

        Assert.Equal((400, 4), (status, Code(body)));
        Assert.Equal(404, (await Read(node.Admin.GetAsync("/api/handles/88.709.911/MINE", Ct))).Status);
        Assert.Equal(404, (await Read(node.Admin.GetAsync("/api/handles/88.709.911/OTHER", Ct))).Status);
    }

    [Fact]
    public async Task A_body_naming_the_same_handle_in_another_spelling_is_accepted()
    {
        // Prefix and suffix compare ASCII-case-insensitively: the grammar's key decides, not the spelling.
        Assert.Equal((201, 1), await Put("88.709.911/Same-Handle", """{"handle":"88.709.911/SAME-handle","values":[{"index":1,"type":"URL","data":"https://a.test"}]}"""));
        Assert.Equal((200, 1), await Put("0.NA/88.709.911?index=7", """{"handle":"0.na/88.709.911","values":[{"index":7,"type":"URL","data":"https://prefix.test"}]}"""));
    }

    [Theory]
    [InlineData("""[{"index":"a","type":"URL","data":"x"}]""", "application/json")]
    [InlineData("""{"values":[""", "application/json")]
    [InlineData("""{"hdlct":"x"}""", "application/json")]
    [InlineData("index=1", "application/x-www-form-urlencoded")]
    public async Task An_anonymous_put_is_refused_before_its_body_or_query_is_looked_at(string body, string contentType)
    {
        // Bodies that would each get their own 400 (or, before, a 500) if they were read: all get the 402 instead.
        var (status, json) = await Read(node.Anonymous.PutAsync("/api/handles/88.709.911/ANON?overwrite=maybe", Json(body, contentType), Ct));

        Assert.Equal((403, 402), (status, Code(json)));
    }

    [Theory]
    [InlineData("/api/handles/88.709.911/ANON?index=abc")]
    [InlineData("/api/handles/88.709.911/ANON?index=1")]
    [InlineData("/api/handles/..%2f..%2f")]
    public async Task An_anonymous_delete_is_refused_before_anything_else(string path)
    {
        var (status, body) = await Read(node.Anonymous.DeleteAsync(path, Ct));

        Assert.Equal((403, 402), (status, Code(body)));
    }

    private async Task<(int, int)> Put(string pathAndQuery, string json)
    {
        var (status, body) = await Read(node.Admin.PutAsync("/api/handles/" + pathAndQuery, Json(json), Ct));
        return (status, Code(body));
    }

    private async Task<JsonElement> Get(string handle)
    {
        var (status, body) = await Read(node.Admin.GetAsync("/api/handles/" + handle, Ct));
        Assert.Equal(200, status);
        return body;
    }

    private static int Code(JsonElement body) => body.GetProperty("responseCode").GetInt32();

    private static string Indexes(JsonElement body) => string.Join(',', body.GetProperty("values").EnumerateArray().Select(v => v.GetProperty("index").GetInt32()));
}
