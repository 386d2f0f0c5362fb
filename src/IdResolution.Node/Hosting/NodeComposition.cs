using System.Net;
using System.Security.Cryptography;
using IdResolution.Audit;
using IdResolution.Core.Caching;
using IdResolution.Core.Composition;
using IdResolution.Core.Identifiers;
using IdResolution.Core.Records;
using IdResolution.Core.Registration;
using IdResolution.Core.Security;
using IdResolution.Core.Storage;
using IdResolution.Core.Telemetry;
using IdResolution.Node.Api;
using IdResolution.Node.Budgets;
using IdResolution.Node.ErrorReplies;
using IdResolution.Node.HandleApi;
using IdResolution.Node.Proxy;
using IdResolution.Node.Security;
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

        // TLS on both ports when Node:Tls:CertificatePath is set; plain HTTP/1.1 and h2c otherwise.
        var tls = NodeTls.Load(configuration);
        if (tls is not null)
        {
            services.AddSingleton(tls);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var address = IPAddress.Parse(node.BindAddress);
            kestrel.Listen(address, node.HttpPort, listen => NodeTls.ListenHttp(listen, tls));
            kestrel.Listen(address, node.GrpcPort, listen => NodeTls.ListenGrpc(listen, tls));
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
            Security = Bind<SecurityOptions>(configuration, "Security"),
        });
        services.AddSingleton<IAuditLog>(_ => new FileAuditLog(configuration["Security:AuditPath"] ?? "./audit"));
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
        var health = services.AddHealthChecks()
            .AddCheck("process", () => HealthCheckResult.Healthy(), [LiveTag])
            .AddCheck<StoreHealthCheck>("store", tags: [ReadyTag]);
        services.AddSharedCache(configuration, health, ReadyTag);
        services.AddGrpcHealthChecks();
        builder.AddNodeTelemetry();
        builder.AddNodeAuthentication();

        // Handle authentication schemes (Basic, challenge-response, peer certificates).
        builder.AddHandleAuthentication();
        services.AddNodeRateLimits(configuration);
        services.AddApiDocumentation();
    }

    public static void MapNode(this WebApplication app)
    {
        // Open the store now: a node whose store cannot open must fail at start, not on its first request.
        app.Services.GetRequiredService<IHandleStore>();
        var node = app.Services.GetRequiredService<NodeOptions>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("IdResolution.Node");
        var tls = app.Services.GetService<NodeTls>();
        var scheme = tls is null ? "http" : "https";
        NodeLog.NodeStarting(logger, $"{scheme}://{node.BindAddress}:{node.HttpPort}", $"{scheme}://{node.BindAddress}:{node.GrpcPort}", StoreSelection.Describe(app.Configuration), CacheSelection.Describe(app.Configuration));
        if (tls is not null)
        {
            SecurityLog.TlsEnabled(logger, tls.Certificate.Subject, tls.Certificate.GetCertHashString(HashAlgorithmName.SHA256), tls.ClientCertificates.ToString());
        }

        InitialAdministrator.Ensure(app);
        app.UseGrpcProtocolErrors();

        // Authenticate once, then limit by the identity found or else by the address (a request whose
        // credentials failed included), then bound the body, then refuse the failed credentials.
        app.UseNodeAuthentication();
        app.UseNodeRateLimits();
        app.UseRequestSizeLimit(node.MaxRequestBytes);
        app.UseCredentialRefusal();
        app.MapApiDocumentation();
        app.MapTokenEndpoint();
        app.MapHandleRestApi();
        app.MapGrpcService<ResolutionService>().Spends(RequestBudget.Resolution);
        app.MapGrpcService<RegistryService>().Spends(RequestBudget.Writes);
        app.MapGrpcService<AdministrationService>().Spends(RequestBudget.Writes);
        app.MapGrpcReflectionService().Spends(RequestBudget.Unlimited);
        app.MapGrpcHealthChecksService().Spends(RequestBudget.Unlimited);
        app.MapHealthChecks("/healthz", new() { Predicate = check => check.Tags.Contains(LiveTag) }).Spends(RequestBudget.Unlimited);
        app.MapHealthChecks("/readyz", new() { Predicate = check => check.Tags.Contains(ReadyTag) }).Spends(RequestBudget.Unlimited);
        app.MapPrometheusScrapingEndpoint("/metrics").Spends(RequestBudget.Unlimited);

        // Last, at the lowest precedence: GET /{handle} must never shadow the routes above.
        app.MapHandleProxy();
    }

    private static T Bind<T>(ConfigurationManager configuration, string section)
        where T : new()
    {
        var options = new T();
        configuration.GetSection(section).Bind(options);
        return options;
    }
}
