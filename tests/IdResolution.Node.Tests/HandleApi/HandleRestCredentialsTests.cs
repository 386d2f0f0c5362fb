using System.Net.Http.Headers;
using System.Text;
using IdResolution.Node.Tests.Security;
using static IdResolution.Node.Tests.HandleApi.RestNode;

namespace IdResolution.Node.Tests.HandleApi;

/// <summary>Handle.Net's own credentials (Basic <c>index:handle</c> with the HS_SECKEY secret) work on /api/handles through the node's default scheme.</summary>
public sealed class HandleRestCredentialsTests(HandleAdminNode node) : IClassFixture<HandleAdminNode>
{
    [Fact]
    public async Task Basic_credentials_of_an_admin_handle_are_the_caller_and_the_policy_decides()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = node.Host.CreateClient();

        // The secret key at 301 authenticates, but the prefix's HS_ADMIN names only 300: authenticated, not permitted.
        Assert.Equal((403, 401), await PutAsBasic(client, ct));
        Assert.Equal(404, (await Read(client.GetAsync("/api/handles/88.709.911/BASIC", ct))).Status);

        var token = await Infrastructure.Tokens.GetAsync(client, Infrastructure.Tokens.AdministratorName, Infrastructure.Tokens.AdministratorPassword);
        using var grant = new HttpRequestMessage(HttpMethod.Put, "/api/handles/0.NA/88.709.911?index=101")
        {
            Content = Json("""{"index":101,"type":"HS_ADMIN","data":{"format":"admin","value":{"handle":"0.NA/88.709.911","index":301,"permissions":"011111111111"}}}"""),
        };
        grant.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(200, (await Read(client.SendAsync(grant, ct))).Status);

        Assert.Equal((201, 1), await PutAsBasic(client, ct));
    }

    private static async Task<(int, int)> PutAsBasic(HttpClient client, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/handles/88.709.911/BASIC")
        {
            Content = Json("""[{"index":1,"type":"URL","data":"https://basic.test"}]"""),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.EscapeDataString("301:0.NA/88.709.911") + ":" + HandleAdminNode.Secret)));
        var (status, body) = await Read(client.SendAsync(request, ct));
        return (status, body.GetProperty("responseCode").GetInt32());
    }
}
