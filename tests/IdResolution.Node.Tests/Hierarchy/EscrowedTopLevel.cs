using System.Globalization;
using System.Net.Http.Headers;
using Grpc.Net.Client;
using IdResolution.Core.Escrow;
using IdResolution.Node.Tests.Infrastructure;
using IdResolution.StoreContract;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace IdResolution.Node.Tests.Hierarchy;

/// <summary>
/// The hierarchy's top level (88) hosted in the test process on real Kestrel, at the loopback ports the
/// <see cref="NodeHierarchy"/> gave it, so its child processes reach it as they would a process of its own —
/// because it carries an escrow store the test can seed: the in-memory stand-in, until the escrow branch's
/// store is wired in the host (then this can be a process of the hierarchy again, seeded by its puller).
/// </summary>
public sealed class EscrowedTopLevel : IAsyncDisposable
{
    private readonly NodeFactory _root = new();
    private readonly (int Http, int Grpc) _ports;
    private WebApplicationFactory<Program>? _host;
    private GrpcChannel? _channel;
    private HttpClient? _http;

    public EscrowedTopLevel((int Http, int Grpc) ports) => _ports = ports;

    public InMemoryEscrowStore Escrow { get; } = new();

    public string GrpcUrl => $"http://127.0.0.1:{_ports.Grpc}";

    /// <summary>An administrator's gRPC channel.</summary>
    public GrpcChannel Channel => _channel ?? throw new InvalidOperationException("start the top level first");

    /// <summary>An administrator's JSON client.</summary>
    public HttpClient Http => _http ?? throw new InvalidOperationException("start the top level first");

    public async Task StartAsync()
    {
        var http = _ports.Http.ToString(CultureInfo.InvariantCulture);
        _root.With("Node:Role", "TopLevel")
            .With("Security:NodePrefix", "88")
            .With("Node:HttpPort", http)
            .With("Node:GrpcPort", _ports.Grpc.ToString(CultureInfo.InvariantCulture))
            .With("Federation:AllowInsecure", "true")
            .With("Federation:AdvertisedEndpoints:Grpc", GrpcUrl)
            .With("Federation:AdvertisedEndpoints:Http", $"http://127.0.0.1:{http}");
        _host = _root.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton<IEscrowStore>(Escrow)));
        _host.UseKestrel();
        _host.StartServer();
        using var anonymous = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}") };
        var token = await Tokens.GetAsync(anonymous, Tokens.AdministratorName, Tokens.AdministratorPassword);
        _http = new HttpClient { BaseAddress = anonymous.BaseAddress };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        _channel = GrpcChannel.ForAddress(GrpcUrl, new GrpcChannelOptions { HttpHandler = new BearerHandler(token, new SocketsHttpHandler()) });
    }

    public async ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        _http?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await _root.DisposeAsync();
    }
}
