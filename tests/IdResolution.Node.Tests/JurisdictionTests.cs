using System.Net;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using IdResolution.Contracts.V1;
using IdResolution.Core.Composition;
using IdResolution.Node.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IdResolution.Node.Tests;

/// <summary>
/// A write for a handle under a prefix this node does not hold is refused with SERVER_NOT_RESPONSIBLE (301)
/// on every surface, even for the administrator, and nothing is stored.
/// </summary>
public sealed class JurisdictionTests : IClassFixture<NodeFactory>
{
    private readonly NodeFactory _factory;
    private readonly HttpClient _http;

    public JurisdictionTests(NodeFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _factory = factory;
        _http = factory.CreateAdminClient();
    }

    [Fact]
    public async Task Grpc_refuses_the_administrators_write_outside_the_node_prefix()
    {
        var (status, code, message) = await Errors.Capture(async () =>
            await _factory.Registry.CreateHandleAsync(Values.Create("99.1/grpc", Values.Url(1, "https://x.test"))));

        Assert.Equal(StatusCode.FailedPrecondition, status);
        Assert.Equal(301, code);
        Assert.Contains("holds prefix 88.709", message, StringComparison.Ordinal);
        var batch = await _factory.Registry.BatchCreateAsync(new BatchCreateRequest
        {
            Items = { Values.Create("88.709.950/batch-kept", Values.Url(1, "https://k.test")), Values.Create("0.NA/99.2", Values.Text(1, "DESC", "x")) },
        });
        Assert.Equal([1, 301], batch.Results.Select(r => (int)r.ResponseCode));
        await AssertNotStored("99.1/grpc");
        await AssertNotStored("0.NA/99.2");
    }

    [Fact]
    public async Task Json_and_handle_rest_answer_400_with_code_301()
    {
        var json = await _http.PutAsync("/v1/handles/99.1/json", Body("""{"values":[{"index":1,"type":"URL","data":{"string":"https://x.test"}}]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
        Assert.Contains("\"responseCode\":\"301\"", await json.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var rest = await _http.PutAsync("/api/handles/0.NA/77.5", Body("""[{"index":1,"type":"DESC","data":{"format":"string","value":"not ours"}}]"""));
        Assert.Equal(HttpStatusCode.BadRequest, rest.StatusCode);
        using var answer = JsonDocument.Parse(await rest.Content.ReadAsStringAsync());
        Assert.Equal(301, answer.RootElement.GetProperty("responseCode").GetInt32());
        await AssertNotStored("99.1/json");
        await AssertNotStored("0.NA/77.5");

        // The proxy says so too: the node holds no prefix 77.5, whatever was attempted.
        var proxy = await _http.GetAsync("/77.5/absent");
        Assert.Equal(HttpStatusCode.NotFound, proxy.StatusCode);
        Assert.Contains("Prefix [77.5] Not Found", await proxy.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>A prefix this node admitted a child node for is that node's: the Handle REST API refers the write there as 400 / 301.</summary>
    [Fact]
    public async Task Handle_rest_refuses_a_write_under_a_prefix_delegated_to_a_child_node_with_400_and_code_301()
    {
        const string Child = "88.709.956";
        var credential = "cert:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Child)));
        await new Administration.AdministrationClient(_factory.Channel).AdmitNodeAsync(new AdmitNodeRequest { Prefix = Child, Name = "child node", Credentials = { credential } });

        var rest = await _http.PutAsync($"/api/handles/{Child}/rest", Body("""[{"index":1,"type":"URL","data":{"format":"string","value":"https://x.test"}}]"""));

        Assert.Equal(HttpStatusCode.BadRequest, rest.StatusCode);
        using var answer = JsonDocument.Parse(await rest.Content.ReadAsStringAsync());
        Assert.Equal(301, answer.RootElement.GetProperty("responseCode").GetInt32());
        Assert.Contains($"is under prefix {Child}, which this node has delegated to a child node", answer.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);

        // Read from the store itself: a resolution here would answer with the referral to the child.
        var core = _factory.Services.GetRequiredService<CoreServices>();
        Assert.True(core.Grammar.TryParse($"{Child}/rest", out var id, out _));
        Assert.Null(await core.Store.GetAsync(id.Key, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Listing_a_prefix_the_node_does_not_hold_is_refused()
    {
        var (status, code, _) = await Errors.Capture(async () =>
            await _factory.Registry.ListHandlesAsync(new ListHandlesRequest { Prefix = "99.1", PageSize = 10 }));
        Assert.Equal(StatusCode.FailedPrecondition, status);
        Assert.Equal(301, code);
    }

    private async Task AssertNotStored(string handle)
    {
        var (status, code, _) = await Errors.Capture(async () =>
            await new Resolution.ResolutionClient(_factory.Channel).ResolveAsync(new ResolveRequest { Handle = handle, Authoritative = true }));
        Assert.Equal(StatusCode.NotFound, status);
        Assert.Equal(100, code);
    }

    private static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");
}
