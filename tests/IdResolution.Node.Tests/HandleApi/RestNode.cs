using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using IdResolution.Contracts.V1;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Node.Tests.HandleApi;

/// <summary>A node (plain HTTP) with two enterprises: acme owns 88.709.911, other owns 88.709.912.</summary>
public class RestNode : IAsyncLifetime
{
    private readonly NodeFactory _factory = new();

    public RestNode()
    {
    }

    /// <summary>A node with extra settings (configuration key, value).</summary>
    protected RestNode(params (string Key, string Value)[] settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        foreach (var (key, value) in settings)
        {
            _factory.With(key, value);
        }
    }

    public string AcmeToken { get; private set; } = string.Empty;

    public HttpClient Admin { get; private set; } = null!;

    public HttpClient Acme { get; private set; } = null!;

    public HttpClient Anonymous { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var admin = new Administration.AdministrationClient(_factory.Channel);
        await admin.CreateAccountAsync(new CreateAccountRequest { Name = "acme", Password = "acme-password" });
        await admin.CreateAccountAsync(new CreateAccountRequest { Name = "other", Password = "other-password" });
        await admin.AllocatePrefixAsync(new AllocatePrefixRequest { Prefix = "88.709.911", Owner = "acme" });
        await admin.AllocatePrefixAsync(new AllocatePrefixRequest { Prefix = "88.709.912", Owner = "other" });
        AcmeToken = await Tokens.GetAsync(_factory.CreateClient(), "acme", "acme-password");
        Admin = _factory.CreateAdminClient();
        Acme = _factory.CreateClientFor(AcmeToken);
        Anonymous = _factory.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public static StringContent Json(string body, string contentType = "application/json") =>
        new(body, Encoding.UTF8, MediaTypeHeaderValue.Parse(contentType));

    /// <summary>Status and parsed JSON body of a response.</summary>
    public static async Task<(int Status, JsonElement Body)> Read(Task<HttpResponseMessage> request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var response = await request;
        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType ?? string.Empty, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(text);
        return ((int)response.StatusCode, document.RootElement.Clone());
    }
}
