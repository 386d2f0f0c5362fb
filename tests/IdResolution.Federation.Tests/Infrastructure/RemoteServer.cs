using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IdResolution.Federation.Tests.Infrastructure;

/// <summary>A remote node for the tests: a real Kestrel gRPC server on 127.0.0.1, a free port, h2c or TLS.</summary>
public sealed class RemoteServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RemoteServer(WebApplication app, Script script, string url)
    {
        _app = app;
        Script = script;
        Url = url;
    }

    public Script Script { get; }

    /// <summary>The gRPC URL, as a site's <c>grpc</c> attribute gives it.</summary>
    public string Url { get; }

    /// <summary>Serves the Federation service; over TLS with <paramref name="certificate"/> (asking for client certificates) when given.</summary>
    public static async Task<RemoteServer> StartAsync(X509Certificate2? certificate = null)
    {
        var script = new Script();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(script);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            if (certificate is not null)
            {
                listen.UseHttps(https =>
                {
                    https.ServerCertificate = certificate;
                    https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                    https.AllowAnyClientCertificate();
                });
            }
        }));
        var app = builder.Build();
        app.MapGrpcService<ScriptedFederation>();
        await app.StartAsync(TestContext.Current.CancellationToken);
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return new RemoteServer(app, script, $"{(certificate is null ? "http" : "https")}://127.0.0.1:{bound.Port}");
    }

    /// <summary>A URL nothing listens on: connections are refused at once.</summary>
    public static string ClosedUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
