using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using IdResolution.Contracts.V1;
using IdResolution.Core.Security;
using IdResolution.Node.Security;
using IdResolution.Node.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IdResolution.Node.Tests;

/// <summary>Who may write what, over gRPC and HTTP/JSON against the real host: ownership, suspension, tokens, private values, audit.</summary>
public sealed class SecurityTests : IClassFixture<SecurityTests.Enterprises>
{
    private readonly Enterprises _node;

    public SecurityTests(Enterprises node) => _node = node;

    [Fact]
    public async Task An_enterprise_writes_under_its_own_prefix_over_grpc_and_json()
    {
        var registry = new Registry.RegistryClient(_node.ChannelFor(_node.AcmeToken));
        Assert.True((await registry.CreateHandleAsync(Values.Create("88.709.911/OWN-1", Values.Url(1, "https://acme.test/1")))).Created);

        var http = _node.CreateClientFor(_node.AcmeToken);
        var put = await http.PutAsync("/v1/handles/88.709.911/OWN-2", Json("""{"values":[{"index":1,"type":"URL","data":{"string":"https://acme.test/2"}}]}"""));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
    }

    [Theory]
    [InlineData("88.709.912/FOREIGN", "another enterprise's prefix")]
    [InlineData("88.709/NODE-OWN", "the node's own prefix")]
    [InlineData("88.709.913/SUSPENDED", "a suspended prefix")]
    public async Task Writes_outside_what_an_enterprise_owns_are_denied_and_change_nothing(string handle, string why)
    {
        var registry = new Registry.RegistryClient(_node.ChannelFor(_node.AcmeToken));
        var denied = await Errors.Capture(() => registry.CreateHandleAsync(Values.Create(handle, Values.Url(1, "https://x.test"))).ResponseAsync);
        Assert.True(denied.Status == StatusCode.PermissionDenied, why);
        Assert.Equal(401, denied.ResponseCode);

        var http = _node.CreateClientFor(_node.AcmeToken);
        var put = await http.PutAsync("/v1/handles/" + handle, Json("""{"values":[{"index":1,"type":"URL","data":{"string":"https://x.test"}}]}"""));
        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);

        var anonymous = new Contracts.V1.Resolution.ResolutionClient(_node.AnonymousChannel);
        Assert.Equal(100, (await Errors.Capture(() => anonymous.ResolveAsync(new ResolveRequest { Handle = handle }).ResponseAsync)).ResponseCode);
    }

    [Fact]
    public async Task A_suspended_prefix_still_resolves()
    {
        var anonymous = new Contracts.V1.Resolution.ResolutionClient(_node.AnonymousChannel);
        var resolved = await anonymous.ResolveAsync(new ResolveRequest { Handle = "88.709.913/BEFORE" });
        Assert.Equal("https://before.test", resolved.Values[0].Data.StringValue);
    }

    [Fact]
    public async Task Anonymous_writes_are_refused_with_401()
    {
        var registry = new Registry.RegistryClient(_node.AnonymousChannel);
        var refused = await Errors.Capture(() => registry.CreateHandleAsync(Values.Create("88.709.911/ANON", Values.Url(1, "https://a.test"))).ResponseAsync);
        Assert.Equal((StatusCode.Unauthenticated, 402), (refused.Status, refused.ResponseCode));

        var put = await _node.CreateClient().PutAsync("/v1/handles/88.709.911/ANON", Json("""{"values":[{"index":1,"type":"URL","data":{"string":"https://a.test"}}]}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, put.StatusCode);
    }

    [Fact]
    public async Task Expired_and_tampered_tokens_are_refused_even_for_reads()
    {
        var tokens = _node.Services.GetRequiredService<TokenService>();
        var expired = tokens.Issue(new Account("acme", AccountRole.Enterprise, false), DateTimeOffset.UtcNow.AddHours(-25));
        var good = _node.AcmeToken;
        var tampered = good[..^4] + (good[^4] == 'A' ? "BAAA" : "AAAA");

        foreach (var token in new[] { expired, tampered, "not-a-token" })
        {
            var get = await _node.CreateClientFor(token).GetAsync("/v1/handles/88.709.913/BEFORE");
            Assert.Equal(HttpStatusCode.Unauthorized, get.StatusCode);

            var registry = new Registry.RegistryClient(_node.ChannelFor(token));
            var refused = await Errors.Capture(() => registry.CreateHandleAsync(Values.Create("88.709.911/BAD-TOKEN", Values.Url(1, "https://t.test"))).ResponseAsync);
            Assert.Equal((StatusCode.Unauthenticated, 403), (refused.Status, refused.ResponseCode));
        }

        var anonymous = new Contracts.V1.Resolution.ResolutionClient(_node.AnonymousChannel);
        Assert.Equal(100, (await Errors.Capture(() => anonymous.ResolveAsync(new ResolveRequest { Handle = "88.709.911/BAD-TOKEN" }).ResponseAsync)).ResponseCode);
    }

    [Fact]
    public async Task Private_values_reach_the_owner_but_not_anonymous_single_or_batch_resolution()
    {
        var secret = Values.Text(2, "INTERNAL", "lot 42, line 7");
        secret.Permissions = "1100";
        var registry = new Registry.RegistryClient(_node.ChannelFor(_node.AcmeToken));
        await registry.CreateHandleAsync(Values.Create("88.709.911/PRIVATE", Values.Url(1, "https://p.test"), secret));

        var anonymous = new Contracts.V1.Resolution.ResolutionClient(_node.AnonymousChannel);
        Assert.Equal([1u], (await anonymous.ResolveAsync(new ResolveRequest { Handle = "88.709.911/PRIVATE" })).Values.Select(v => v.Index));
        var batch = new ResolveBatchRequest { Handles = { "88.709.911/PRIVATE" } };
        Assert.Equal([1u], (await anonymous.ResolveBatchAsync(batch)).Results[0].Values.Select(v => v.Index));
        var json = await _node.CreateClient().GetStringAsync("/v1/handles/88.709.911/PRIVATE");
        Assert.DoesNotContain("lot 42", json, StringComparison.Ordinal);

        var owner = new Contracts.V1.Resolution.ResolutionClient(_node.ChannelFor(_node.AcmeToken));
        Assert.Equal([1u, 2u], (await owner.ResolveAsync(new ResolveRequest { Handle = "88.709.911/PRIVATE" })).Values.Select(v => v.Index));
        Assert.Equal([1u, 2u], (await owner.ResolveBatchAsync(batch)).Results[0].Values.Select(v => v.Index));

        var stranger = new Contracts.V1.Resolution.ResolutionClient(_node.ChannelFor(_node.OtherToken));
        Assert.Equal([1u], (await stranger.ResolveAsync(new ResolveRequest { Handle = "88.709.911/PRIVATE" })).Values.Select(v => v.Index));
    }

    [Fact]
    public async Task Listing_needs_the_list_bit_on_the_prefix()
    {
        var mine = new Registry.RegistryClient(_node.ChannelFor(_node.AcmeToken));
        Assert.NotNull(await mine.ListHandlesAsync(new ListHandlesRequest { Prefix = "88.709.911" }));
        var foreign = await Errors.Capture(() => mine.ListHandlesAsync(new ListHandlesRequest { Prefix = "88.709.912" }).ResponseAsync);
        Assert.Equal(401, foreign.ResponseCode);
        var anonymous = await Errors.Capture(() => new Registry.RegistryClient(_node.AnonymousChannel).ListHandlesAsync(new ListHandlesRequest { Prefix = "88.709.911" }).ResponseAsync);
        Assert.Equal(402, anonymous.ResponseCode);
    }

    [Fact]
    public async Task Enterprises_cannot_administer_and_the_audit_trail_records_denials_and_failed_logins()
    {
        var asAcme = new Administration.AdministrationClient(_node.ChannelFor(_node.AcmeToken));
        Assert.Equal(StatusCode.PermissionDenied, (await Errors.Capture(() => asAcme.ListPrefixesAsync(new ListPrefixesRequest()).ResponseAsync)).Status);

        var registry = new Registry.RegistryClient(_node.ChannelFor(_node.AcmeToken));
        await Assert.ThrowsAsync<RpcException>(() => registry.CreateHandleAsync(Values.Create("88.709.912/AUDIT-ME", Values.Url(1, "https://x.test"))).ResponseAsync);
        var badLogin = await _node.CreateClient().PostAsJsonAsync("/identity/token", new { username = "acme", password = "wrong-password" });
        Assert.Equal(HttpStatusCode.Unauthorized, badLogin.StatusCode);

        var admin = new Administration.AdministrationClient(_node.Channel);
        var forPrefix = await admin.QueryAuditAsync(new QueryAuditRequest { Prefix = "88.709.912" });
        Assert.Contains(forPrefix.Entries, e => e.Who == "acme" && e.Target == "88.709.912/AUDIT-ME" && e.ResponseCode == 401);
        var all = await admin.QueryAuditAsync(new QueryAuditRequest());
        Assert.Contains(all.Entries, e => e.Operation == "authenticate" && e.Who == "acme" && e.ResponseCode == 403);
        Assert.All(all.Entries, e => Assert.DoesNotContain("wrong-password", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rotating_the_signing_key_keeps_earlier_tokens_valid()
    {
        var before = _node.OtherToken;
        var admin = new Administration.AdministrationClient(_node.Channel);
        var rotated = await admin.RotateSigningKeyAsync(new RotateSigningKeyRequest());
        Assert.NotEmpty(rotated.KeyId);

        var after = await Tokens.GetAsync(_node.CreateClient(), "other", Enterprises.OtherPassword);
        Assert.NotEqual(Header(before), Header(after));
        foreach (var token in new[] { before, after })
        {
            var registry = new Registry.RegistryClient(_node.ChannelFor(token));
            Assert.NotNull(await registry.ListHandlesAsync(new ListHandlesRequest { Prefix = "88.709.912" }));
        }
    }

    [Fact]
    public async Task A_suspended_account_can_no_longer_log_in()
    {
        var admin = new Administration.AdministrationClient(_node.Channel);
        await admin.CreateAccountAsync(new CreateAccountRequest { Name = "leaver", Password = "leaver-password" });
        await Tokens.GetAsync(_node.CreateClient(), "leaver", "leaver-password");
        await admin.SetAccountSuspendedAsync(new SetAccountSuspendedRequest { Name = "leaver", Suspended = true });

        var refused = await _node.CreateClient().PostAsJsonAsync("/identity/token", new { username = "leaver", password = "leaver-password" });
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var body = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(-1, body.GetProperty("status").GetInt32());
    }

    private static string Header(string jwt) => Encoding.UTF8.GetString(Convert.FromBase64String(Pad(jwt.Split('.')[0])));

    private static string Pad(string base64Url)
    {
        var text = base64Url.Replace('-', '+').Replace('_', '/');
        return text + new string('=', (4 - (text.Length % 4)) % 4);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>A node with two enterprises: acme owns 88.709.911 and 88.709.913 (suspended), other owns 88.709.912.</summary>
    public sealed class Enterprises : IAsyncLifetime
    {
        public const string AcmePassword = "acme-password";
        public const string OtherPassword = "other-password";
        private readonly NodeFactory _factory = new();

        public string AcmeToken { get; private set; } = string.Empty;

        public string OtherToken { get; private set; } = string.Empty;

        public IServiceProvider Services => _factory.Services;

        public Grpc.Net.Client.GrpcChannel Channel => _factory.Channel;

        public Grpc.Net.Client.GrpcChannel AnonymousChannel => _factory.AnonymousChannel;

        public Grpc.Net.Client.GrpcChannel ChannelFor(string token) => _factory.ChannelFor(token);

        public HttpClient CreateClientFor(string token) => _factory.CreateClientFor(token);

        public HttpClient CreateClient() => _factory.CreateClient();

        public async ValueTask InitializeAsync()
        {
            var admin = new Administration.AdministrationClient(_factory.Channel);
            await admin.CreateAccountAsync(new CreateAccountRequest { Name = "acme", Password = AcmePassword });
            await admin.CreateAccountAsync(new CreateAccountRequest { Name = "other", Password = OtherPassword });
            await admin.AllocatePrefixAsync(new AllocatePrefixRequest { Prefix = "88.709.911", Owner = "acme" });
            await admin.AllocatePrefixAsync(new AllocatePrefixRequest { Prefix = "88.709.912", Owner = "other" });
            await admin.AllocatePrefixAsync(new AllocatePrefixRequest { Prefix = "88.709.913", Owner = "acme" });
            AcmeToken = await Tokens.GetAsync(_factory.CreateClient(), "acme", AcmePassword);
            OtherToken = await Tokens.GetAsync(_factory.CreateClient(), "other", OtherPassword);

            var registry = new Registry.RegistryClient(_factory.ChannelFor(AcmeToken));
            await registry.CreateHandleAsync(Values.Create("88.709.913/BEFORE", Values.Url(1, "https://before.test")));
            await admin.SetPrefixSuspendedAsync(new SetPrefixSuspendedRequest { Prefix = "88.709.913", Suspended = true });
        }

        public async ValueTask DisposeAsync() => await _factory.DisposeAsync();
    }
}
