using Grpc.Net.Client;
using IdResolution.Contracts.V1;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace IdResolution.Node.Tests.Infrastructure;

/// <summary>
/// The real node host, in-process on ASP.NET Core's test server, over a real embedded store in a
/// temporary directory. gRPC and HTTP/JSON clients talk to the same host.
/// </summary>
public sealed class NodeFactory : WebApplicationFactory<Program>
{
    private readonly TempDirectory _data = new();
    private readonly Dictionary<string, string> _settings = new(StringComparer.Ordinal);
    private GrpcChannel? _channel;
    private GrpcChannel? _anonymous;
    private string? _adminToken;

    public NodeFactory With(string key, string value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>A channel authenticated as the node's first administrator.</summary>
    public GrpcChannel Channel => _channel ??= ChannelFor(AdminToken);

    public GrpcChannel AnonymousChannel => _anonymous ??= CreateChannel(Server.CreateHandler());

    public string AdminToken => _adminToken ??= Tokens.GetAsync(CreateClient(), Tokens.AdministratorName, Tokens.AdministratorPassword).GetAwaiter().GetResult();

    public GrpcChannel ChannelFor(string token) => CreateChannel(new BearerHandler(token, Server.CreateHandler()));

    public HttpClient CreateClientFor(string token) => CreateDefaultClient(new TokenHeader(token));

    public HttpClient CreateAdminClient() => CreateClientFor(AdminToken);

    public Registry.RegistryClient Registry => new(Channel);

    public Contracts.V1.Resolution.ResolutionClient Resolution => new(Channel);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Store:Path", Path.Combine(_data.Path, "store"));
        foreach (var (key, value) in Tokens.NodeSettings(_data.Path))
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    private GrpcChannel CreateChannel(HttpMessageHandler handler) => GrpcChannel.ForAddress(Server.BaseAddress, new GrpcChannelOptions
    {
        HttpHandler = handler,
        MaxReceiveMessageSize = 64 * 1024 * 1024,
        MaxSendMessageSize = 64 * 1024 * 1024,
    });

    protected override void Dispose(bool disposing)
    {
        _channel?.Dispose();
        _anonymous?.Dispose();
        base.Dispose(disposing);
        if (disposing)
        {
            _data.Dispose();
        }
    }

    /// <summary>Adds the bearer token to requests of in-process HTTP clients.</summary>
    private sealed class TokenHeader(string token) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
