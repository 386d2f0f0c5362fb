using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Node.Tests;

/// <summary>The README's walk-through, step by step, against a node started as a fresh install starts.</summary>
public sealed class ReadmeWalkthroughTests
{
    [Fact]
    public async Task A_fresh_node_generates_its_administrator_and_the_walkthrough_answers_as_shown()
    {
        using var data = new TempDirectory();
        await using var node = await NodeProcess.StartUnconfiguredAsync(data.Path, TimeSpan.FromSeconds(60));

        var passwordFile = Path.Combine(data.Path, "keys", "initial-administrator-password");
        Assert.True(File.Exists(passwordFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, OperatingSystem.IsWindows() ? UnixFileMode.None : File.GetUnixFileMode(passwordFile));
        var password = (await File.ReadAllTextAsync(passwordFile)).Trim();
        Assert.DoesNotContain(password, node.Output, StringComparison.Ordinal);

        var token = await Tokens.GetAsync(node.Http, "admin", password);
        node.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var put = await node.Http.PutAsync("/v1/handles/88.709.911/ABC-0001", new StringContent(
            """{"values":[{"index":1,"type":"URL","data":{"string":"https://example.com/products/abc-0001"}}]}""", Encoding.UTF8, "application/json"));
        var created = await put.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("""{"handle":"88.709.911/ABC-0001","responseCode":1,"created":true,"values":[{"index":1,"type":"URL","data":{"string":"https://example.com/products/abc-0001"},"ttlSeconds":86400,"timestamp":"T"}]}""",
            WithoutTimestamp(created));

        var resolved = await node.Http.GetFromJsonAsync<JsonElement>("/v1/handles/88.709.911/abc-0001");
        Assert.Equal("""{"handle":"88.709.911/ABC-0001","responseCode":1,"values":[{"index":1,"type":"URL","data":{"string":"https://example.com/products/abc-0001"},"ttlSeconds":86400,"timestamp":"T"}]}""",
            WithoutTimestamp(resolved));

        var listed = await node.Http.GetStringAsync("/v1/prefixes/88.709.911/handles?pageSize=100");
        Assert.Equal("""{"prefix":"88.709.911","handles":["88.709.911/ABC-0001"]}""", listed);

        var deleted = await node.Http.DeleteAsync("/v1/handles/88.709.911/ABC-0001");
        Assert.Equal("""{"handle":"88.709.911/ABC-0001","responseCode":1}""", await deleted.Content.ReadAsStringAsync());
        var gone = await node.Http.GetAsync("/v1/handles/88.709.911/ABC-0001");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("""{"code":5,"message":"handle '88.709.911/ABC-0001' is not registered on this node","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"HANDLE_NOT_FOUND","domain":"idresolution.v1","metadata":{"responseCode":"100","handle":"88.709.911/ABC-0001"}}]}""",
            await gone.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_restarted_node_keeps_its_administrator_and_does_not_generate_another()
    {
        using var data = new TempDirectory();
        var passwordFile = Path.Combine(data.Path, "keys", "initial-administrator-password");
        await using (await NodeProcess.StartUnconfiguredAsync(data.Path, TimeSpan.FromSeconds(60)))
        {
            Assert.True(File.Exists(passwordFile));
        }

        var first = await File.ReadAllTextAsync(passwordFile);
        await using var again = await NodeProcess.StartUnconfiguredAsync(data.Path, TimeSpan.FromSeconds(60));
        Assert.Equal(first, await File.ReadAllTextAsync(passwordFile));
        Assert.NotEmpty(await Tokens.GetAsync(again.Http, "admin", first.Trim()));
    }

    private static string WithoutTimestamp(JsonElement body) =>
        System.Text.RegularExpressions.Regex.Replace(body.GetRawText(), "\"timestamp\":\"[^\"]+\"", "\"timestamp\":\"T\"");
}
