using static IdResolution.Node.Tests.HandleApi.RestNode;

namespace IdResolution.Node.Tests.HandleApi;

/// <summary>Bad input to /api/handles gets its Handle response code and HTTP status, never a 500.</summary>
public sealed class HandleRestBadInputTests(RestNode node) : IClassFixture<RestNode>
{
    private const string Good = """[{"index":1,"type":"URL","data":"https://a.test"}]""";

    public static TheoryData<string, string, string?, string, int, int> Cases()
    {
        var overlong = "88.709.911/" + new string('x', 300);
        return new()
        {
            // method, path, body, content type, HTTP status, responseCode
            { "PUT", "/api/handles/88.709.911/BAD", "{\"values\":[", "application/json", 400, 4 },
            { "PUT", "/api/handles/88.709.911/BAD", "not json at all", "application/json", 400, 4 },
            { "PUT", "/api/handles/88.709.911/BAD", "42", "application/json", 400, 4 },
            { "PUT", "/api/handles/88.709.911/BAD", """[{"index":1,"type":"URL","data":{"format":"nope","value":"x"}}]""", "application/json", 400, 202 },
            { "PUT", "/api/handles/88.709.911/BAD", """[{"index":0,"type":"URL","data":"x"}]""", "application/json", 400, 202 },
            { "PUT", "/api/handles/88.709.911/BAD", Good, "application/xml", 400, 4 },
            { "PUT", "/api/handles/88.709.911/BAD", Good, "multipart/form-data; boundary=x", 400, 4 },
            { "PUT", "/api/handles/88.709.911/BAD?overwrite=maybe", Good, "application/json", 400, 4 },
            { "PUT", "/api/handles/" + overlong, Good, "application/json", 400, 102 },
            { "GET", "/api/handles/" + overlong, null, "", 400, 102 },
            { "GET", "/api/handles/..%2f..%2f", null, "", 400, 102 },
            { "GET", "/api/handles/..%2F..%2Fetc%2Fpasswd", null, "", 400, 102 },
            { "PUT", "/api/handles/..%2f..%2f", Good, "application/json", 400, 102 },
            { "DELETE", "/api/handles/..%2f..%2f", null, "", 400, 102 },
            { "GET", "/api/handles/88.709.911/BAD?index=abc", null, "", 400, 4 },
            { "GET", "/api/handles/88.709.911/BAD?index=0", null, "", 400, 4 },
            { "DELETE", "/api/handles/88.709.911/BAD?index=-1", null, "", 400, 4 },
            { "GET", "/api/handles?prefix=88.709.911&page=-1&pageSize=2", null, "", 400, 4 },
            { "GET", "/api/handles", null, "", 400, 4 },
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_gets_its_response_code_and_status(string method, string path, string? body, string contentType, int status, int responseCode)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = Json(body, contentType);
        }

        var (actualStatus, json) = await Read(node.Admin.SendAsync(request, TestContext.Current.CancellationToken));
        Assert.Equal((status, responseCode), (actualStatus, json.GetProperty("responseCode").GetInt32()));
    }

    [Fact]
    public async Task An_encoded_slash_in_the_path_is_a_slash_of_the_handle()
    {
        var ct = TestContext.Current.CancellationToken;
        using (var put = await node.Admin.PutAsync("/api/handles/88.709.911%2FENCODED", Json(Good), ct))
        {
            Assert.Equal(201, (int)put.StatusCode);
        }

        var (status, json) = await Read(node.Anonymous.GetAsync("/api/handles/88.709.911/ENCODED", ct));
        Assert.Equal((200, "88.709.911/ENCODED"), (status, json.GetProperty("handle").GetString()));
    }
}
