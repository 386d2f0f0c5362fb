using System.Net;
using System.Text;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Node.Tests;

/// <summary>
/// <c>GET /v1/handles/{handle}</c> is answered by the node's own endpoint, not by JSON transcoding; its answers must be
/// the transcoder's to the byte. A query parameter the endpoint does not read (here <c>via</c>, which the transcoder
/// ignores) hands the request to the transcoder, so each case below is asked both ways on the same node.
/// </summary>
public sealed class JsonResolveAnswerTests : IClassFixture<NodeFactory>
{
    private const string Handle = "88.709.931/ANSWER-1";

    private readonly NodeFactory _factory;
    private readonly HttpClient _admin;

    public JsonResolveAnswerTests(NodeFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _factory = factory;
        _admin = factory.CreateAdminClient();
    }

    public static TheoryData<string> Queries => new()
    {
        Handle,
        "88.709.931/answer-1",
        Handle + "?type=URL",
        Handle + "?type=HS_",
        Handle + "?type=NONE",
        Handle + "?index=2&index=3",
        Handle + "?index=0",
        Handle + "?type=URL&index=7&authoritative=true",
        Handle + "?noRecursion=false",
        "88.709.931/MISSING",
        "88.999.1/ELSEWHERE",
        "no-slash",
        "88.709.931/",
        "bad%20handle",
        "88.709.931%2FANSWER-1",
        "88.709.931/%E4%BA%A7%E5%93%81",
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task Answers_are_the_transcoders_to_the_byte_for_anonymous_and_administrator_callers(string query)
    {
        await CreateAsync();
        foreach (var client in new[] { _factory.CreateClient(), _admin })
        {
            var direct = await client.GetAsync("/v1/handles/" + query);
            var transcoded = await client.GetAsync("/v1/handles/" + query + (query.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "via=transcoder");
            Assert.Equal(transcoded.StatusCode, direct.StatusCode);
            Assert.Equal(transcoded.Content.Headers.ContentType?.ToString(), direct.Content.Headers.ContentType?.ToString());
            Assert.Equal(await transcoded.Content.ReadAsStringAsync(), await direct.Content.ReadAsStringAsync());

            // Two writers answered: the transcoder streams its answer, the endpoint gives its length.
            Assert.False(transcoded.Content.Headers.NonValidated.Contains("Content-Length"));
            Assert.True(direct.Content.Headers.NonValidated.Contains("Content-Length"));
        }
    }

    [Fact]
    public async Task A_changed_record_is_answered_anew_and_hidden_values_stay_with_the_callers_allowed_to_read_them()
    {
        await CreateAsync();
        var anonymous = _factory.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            Assert.DoesNotContain("HIDDEN", await anonymous.GetStringAsync("/v1/handles/" + Handle), StringComparison.Ordinal);
            Assert.Contains("HIDDEN", await _admin.GetStringAsync("/v1/handles/" + Handle), StringComparison.Ordinal);
        }

        var replaced = await _admin.PostAsync("/v1/values:add", Json($$$"""{"handle":"{{{Handle}}}","values":[{"index":8,"type":"ADDED","data":{"string":"later"}}]}"""));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var after = await anonymous.GetStringAsync("/v1/handles/" + Handle);
        Assert.Contains("\"later\"", after, StringComparison.Ordinal);
        Assert.DoesNotContain("HIDDEN", after, StringComparison.Ordinal);
    }

    private async Task CreateAsync()
    {
        var put = await _admin.PutAsync("/v1/handles/" + Handle, Json("""
            {"values":[
              {"index":1,"type":"URL","data":{"string":"https://example.com/answer?x=<1>&y=\"2\""}},
              {"index":2,"type":"EMAIL","data":{"string":"x@example.com"},"ttlSeconds":60},
              {"index":3,"type":"BIN","data":{"base64":"AAECAwQ="}},
              {"index":4,"type":"HS_VLIST","data":{"vlist":{"entries":[{"handle":"88.709.931/X","index":1}]}}},
              {"index":5,"type":"HIDDEN","data":{"string":"secret"},"permissions":"1100"},
              {"index":6,"type":"REF","data":{"string":"r"},"references":[{"handle":"88.709.931/Y","index":2}]},
              {"index":7,"type":"DESC","data":{"string":"标识 <b>&amp; é ＡＢ 😀"}},
              {"index":100,"type":"HS_ADMIN","data":{"admin":{"handle":"0.NA/88.709.931","index":200,"permissions":"111111111111"}}}]}
            """));
        Assert.True(put.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"create answered {put.StatusCode}");
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
