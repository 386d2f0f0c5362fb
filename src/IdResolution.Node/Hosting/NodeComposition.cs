using System.Net;
using IdResolution.Core;
using IdResolution.Core.Caching;
using IdResolution.Core.Identifiers;
using IdResolution.Core.Records;
using IdResolution.Core.Registration;
using IdResolution.Core.Storage;
using IdResolution.Core.Telemetry;
using IdResolution.Node.Api;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IdResolution.Node.Hosting;

/// <summary>Wires the core to its adapters by configuration: the whole of the node's composition.</summary>
internal static class NodeComposition
{
    private const string LiveTag = "live";
    private const string ReadyTag = "ready";

    public static void AddNode(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;
        var node = Bind<NodeOptions>(configuration, NodeOptions.Section);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var address = IPAddress.Parse(node.BindAddress);
            kestrel.Listen(address, node.HttpPort, listen => listen.Protocols = HttpProtocols.Http1);
            kestrel.Listen(address, node.GrpcPort, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Limits.MaxRequestBodySize = node.MaxRequestBytes;
            kestrel.AddServerHeader = false;
        });

        services.AddSingleton(node);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new CoreOptions
        {
            Identifiers = Bind<HandleSyntaxOptions>(configuration, "Identifiers"),
            Records = Bind<RecordLimits>(configuration, "Records"),
            Cache = Bind<CacheOptions>(configuration, "Cache"),
            Registry = Bind<RegistryOptions>(configuration, "Registry"),
        });
        services.AddSingleton<NodeMetrics>();
        services.AddSingleton<CoreServices>();
        services.AddSingleton(sp => sp.GetRequiredService<CoreServices>().Resolver);
        services.AddSingleton(sp => sp.GetRequiredService<CoreServices>().Registrar);
        services.AddSingleton(sp => sp.GetRequiredService<CoreServices>().Options.Registry);
        services.AddHandleStore(configuration);

        services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = node.MaxRequestBytes;
            grpc.Interceptors.Add<UnexpectedErrorInterceptor>();
        }).AddJsonTranscoding(transcoding =>
        {
            // Error details are packed as Any; JSON can only name types the registry knows.
            transcoding.TypeRegistry = HandleStatus.Registry;

            // Like Handle.Net's JSON: defaults (empty permissions, no references) are left out.
            transcoding.JsonSettings.IgnoreDefaultValues = true;
        });
        services.AddGrpcReflection();
        services.AddHealthChecks()
            .AddCheck("process", () => HealthCheckResult.Healthy(), [LiveTag])
            .AddCheck<StoreHealthCheck>("store", tags: [ReadyTag]);
        services.AddGrpcHealthChecks();
        builder.AddNodeTelemetry();
        services.AddNodeRateLimits(configuration);
    }

    public static void MapNode(this WebApplication app)
    {
        // Open the store now: a node whose store cannot open must fail at start, not on its first request.
        app.Services.GetRequiredService<IHandleStore>();
        var node = app.Services.GetRequiredService<NodeOptions>();
        NodeLog.NodeStarting(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("IdResolution.Node"),
            $"http://{node.BindAddress}:{node.HttpPort}", $"http://{node.BindAddress}:{node.GrpcPort}", StoreSelection.Describe(app.Configuration));

        app.UseGrpcProtocolErrors();
        app.UseNodeRateLimits();
        app.UseRequestSizeLimit(node.MaxRequestBytes);
        app.MapGrpcService<ResolutionService>();
        app.MapGrpcService<RegistryService>();
        app.MapGrpcReflectionService();
        app.MapGrpcHealthChecksService();
        app.MapHealthChecks("/healthz", new() { Predicate = check => check.Tags.Contains(LiveTag) });
        app.MapHealthChecks("/readyz", new() { Predicate = check => check.Tags.Contains(ReadyTag) });
        app.MapPrometheusScrapingEndpoint("/metrics");
    }

    private static T Bind<T>(ConfigurationManager configuration, string section)
        where T : new()
    {
        var options = new T();
        configuration.GetSection(section).Bind(options);
        return options;
    }
}
