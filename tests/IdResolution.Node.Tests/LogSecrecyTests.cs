using System.Diagnostics;
using System.Net;
using System.Text;
using Grpc.Core;
using IdResolution.Contracts.V1;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Node.Tests;

/// <summary>
/// Credentials and record contents never reach the node's logs, even at Debug: a secret sent in every
/// place a careless node would log it must not appear in the process's standard output or error.
/// </summary>
public sealed class LogSecrecyTests
{
    [Fact]
    public async Task Secrets_in_credentials_bodies_and_values_never_reach_the_logs_at_debug_level()
    {
        var secret = "S3cr3t-" + Guid.NewGuid().ToString("N");
        using var data = new TempDirectory();
        await using var node = await NodeProcess.StartAsync(data.Path, TimeSpan.FromSeconds(60),
            "--Logging:LogLevel:Default=Debug", "--Logging:LogLevel:Microsoft=Debug", "--Logging:LogLevel:Microsoft.AspNetCore=Debug",
            "--Logging:LogLevel:Grpc=Debug");
        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + secret));
        var bearer = "Bearer " + secret;
        var jwtShaped = "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIzMDA6MC5OQS84OC43MDkuOTcwIn0." + secret;
        var handleAuth = $"Handle version=\"0\", sessionId=\"{secret}\", id=\"300%3A0.NA%2F88.709.970\", signature=\"{secret}\"";

        foreach (var authorization in new[] { basic, bearer, jwtShaped, handleAuth })
        {
            using var resolve = Request(HttpMethod.Get, "/v1/handles/88.709.970/absent", authorization);
            await node.Http.SendAsync(resolve);

            using var token = Request(HttpMethod.Post, "/identity/token", authorization);
            token.Content = new StringContent($$$"""{"username":"admin","password":"{{{secret}}}","grant_type":"password"}""", Encoding.UTF8, "application/json");
            await node.Http.SendAsync(token);

            using var form = Request(HttpMethod.Post, "/identity/token", authorization);
            form.Content = new FormUrlEncodedContent([new("username", "admin"), new("password", secret)]);
            await node.Http.SendAsync(form);
        }

        // A record whose value holds the secret, written and read over JSON and gRPC.
        using (var put = Request(HttpMethod.Put, "/v1/handles/88.709.970/holder", "Bearer " + node.AdminToken))
        {
            put.Content = new StringContent($$$"""{"values":[{"index":1,"type":"DESC","data":{"string":"{{{secret}}}"}}]}""", Encoding.UTF8, "application/json");
            Assert.Equal(HttpStatusCode.OK, (await node.Http.SendAsync(put)).StatusCode);
        }

        Assert.Contains(secret, await node.Http.GetStringAsync("/v1/handles/88.709.970/holder"), StringComparison.Ordinal);
        var headers = new Metadata { { "authorization", bearer }, { "x-api-key", secret } };
        var registry = new Registry.RegistryClient(node.Channel);
        await registry.CreateHandleAsync(Values.Create("88.709.970/grpc-holder", Values.Text(1, "DESC", secret)), headers);
        var resolved = await new Contracts.V1.Resolution.ResolutionClient(node.Channel).ResolveAsync(new ResolveRequest { Handle = "88.709.970/grpc-holder" }, headers);
        Assert.Equal(secret, resolved.Values[0].Data.StringValue);

        // Refused writes whose refusal might echo the value: a wrong type, a value over the limits, a duplicate.
        foreach (var body in new[]
        {
            $$$"""{"values":[{"index":"{{{secret}}}","type":"DESC"}]}""",
            $$$"""{"values":[{"index":1,"type":"DESC","data":{"base64":"{{{secret}}}"}}]}""",
            $$$"""{"values":[{"index":1,"type":"{{{secret}}}","data":{"string":"{{{secret}}}{{{new string('x', 40 * 1024)}}}"}}]}""",
            $$$"""{"values":[{"index":1,"type":"DESC","data":{"string":"{{{secret}}}"}},{"index":1,"type":"DESC","data":{"string":"{{{secret}}}"}}]}""",
            $$$"""{"values":[{"index":1,"type":"DESC","data":{"string":"{{{secret}}}""",
        })
        {
            using var refused = Request(HttpMethod.Put, "/v1/handles/88.709.970/refused", basic);
            refused.Content = new StringContent(body, Encoding.UTF8, "application/json");
            Assert.NotEqual(HttpStatusCode.OK, (await node.Http.SendAsync(refused)).StatusCode);
        }

        // Already exists (with other values): the refusal names the handle, never the values.
        await Assert.ThrowsAsync<RpcException>(() => registry.CreateHandleAsync(
            Values.Create("88.709.970/grpc-holder", Values.Text(1, "DESC", secret + "-other")), headers).ResponseAsync);

        // Logging is asynchronous: a last request whose own log line is awaited flushes everything before it.
        var marker = "flush-" + Guid.NewGuid().ToString("N");
        await node.Http.GetAsync("/v1/handles/88.709.970/" + marker);
        var clock = Stopwatch.StartNew();
        while (!node.Output.Contains(marker, StringComparison.Ordinal))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the node never logged the last request");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        var output = node.Output;
        Assert.Contains("dbug:", output, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, output, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + secret)), output, StringComparison.Ordinal);
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string authorization)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return request;
    }
}
