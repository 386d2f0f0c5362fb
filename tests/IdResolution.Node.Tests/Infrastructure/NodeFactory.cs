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

    public NodeFactory With(string key, string value)
    {
        _settings[key] = value;
        return this;
    }

    public GrpcChannel Channel => _channel ??= GrpcChannel.ForAddress(Server.BaseAddress, new GrpcChannelOptions
    {
        HttpHandler = Server.CreateHandler(),
        MaxReceiveMessageSize = 64 * 1024 * 1024,
        MaxSendMessageSize = 64 * 1024 * 1024,
    });

    public Registry.RegistryClient Registry => new(Channel);

    public Contracts.V1.Resolution.ResolutionClient Resolution => new(Channel);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Store:Path", _data.Path);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        _channel?.Dispose();
        base.Dispose(disposing);
        if (disposing)
        {
            _data.Dispose();
        }
    }
}
