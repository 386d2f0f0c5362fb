using System.Net;
using System.Security.Cryptography;
using Grpc.AspNetCore.Server;
using IdResolution.Audit;
using IdResolution.Core.Composition;
using IdResolution.Core.Federation;
using IdResolution.Core.Security;
using IdResolution.Core.Storage;
using IdResolution.Core.Telemetry;
using IdResolution.Node.Api;
using IdResolution.Node.Budgets;
using IdResolution.Node.Dashboard;
using IdResolution.Node.ErrorReplies;
using IdResolution.Node.HandleApi;
using IdResolution.Node.Proxy;
using IdResolution.Node.Security;
using IdResolution.Node.Settings;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

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

        // Settings are bound when first used and checked together when the node starts (MapNode), before
        // the store opens: nothing here reads a typed setting, so a bad one never fails the composition.
        services.AddSettings<NodeOptions>(configuration, NodeOptions.Section, HostingOptionsValidation.Check);
        services.AddSettings<NodeTlsOptions>(configuration, NodeTlsOptions.Section, SecuritySettingsValidation.Check);
        services.AddSettings<CoreOptions>(core => BindCore(configuration, core), CoreOptionsValidation.Check);
        services.AddSettings<FederationOptions>(configuration, FederationOptions.Section, (federation, problems) =>
            FederationSettingsValidation.Check(federation, NodeTls.IsConfigured(configuration), configuration["Security:NodePrefix"] ?? new SecurityOptions().NodePrefix, problems));

        // TLS on both ports when Node:Tls:CertificatePath is set; plain HTTP/1.1 and h2c otherwise.
        if (NodeTls.IsConfigured(configuration))
        {
            services.AddSingleton(provider => NodeTls.Load(provider.GetRequiredService<NodeTlsOptions>()));
        }

        // The ports are added when the node starts (MapNode): the server is built with the host, before the settings are checked.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

        services.AddSingleton(TimeProvider.System);
        services.AddSettings<AuditOptions>(configuration, AuditOptions.SectionName, AuditOptionsValidation.Check);
        // The trail, with its newest entries kept in memory for the node's status (Dashboard).
        services.AddSingleton(provider => new RecentAudit(new FileAuditLog(configuration["Security:AuditPath"] ?? "./audit",
            provider.GetRequiredService<AuditOptions>(), provider.GetRequiredService<TimeProvider>())));
        services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<RecentAudit>());
        services.AddSingleton<NodeMetrics>();
        services.AddSingleton<CoreServices>();
        services.AddSingleton(sp => sp.GetRequiredService<CoreServices>().Resolver);
        services.AddSingleton(sp => sp.GetRequiredService<CoreServices>().Registrar);
        services.AddSingleton(sp => sp.GetRequiredService<CoreServices>().Options.Registry);
        services.AddSingleton(sp => sp.GetRequiredService<CoreServices>().Nodes);
        services.AddSingleton(sp => NodeIdentity.Load(sp.GetRequiredService<CoreOptions>().Security.NodePrefix,
            sp.GetRequiredService<NodeOptions>().Role, sp.GetRequiredService<FederationOptions>()));
        services.AddHandleStore(configuration);
        services.AddFederation();
        services.AddDuties(configuration);
        services.AddEscrow(configuration);

        services.AddOptions<GrpcServiceOptions>().Configure<NodeOptions>((grpc, node) => grpc.MaxReceiveMessageSize = node.MaxRequestBytes);
        services.AddGrpc(grpc => grpc.Interceptors.Add<UnexpectedErrorInterceptor>()).AddJsonTranscoding(transcoding =>
        {
            // Error details are packed as Any; JSON can only name types the registry knows.
            transcoding.TypeRegistry = HandleStatus.Registry;

            // Like Handle.Net's JSON: defaults (empty permissions, no references) are left out.
            transcoding.JsonSettings.IgnoreDefaultValues = true;
        });
        services.AddGrpcReflection();
        var health = services.AddHealthChecks()
            .AddCheck("process", () => HealthCheckResult.Healthy(), [LiveTag])
            .AddCheck<StoreHealthCheck>("store", tags: [ReadyTag])
            .AddCheck<EscrowDepositHealthCheck>("escrow", tags: [ReadyTag]);
        services.AddSharedCache(configuration, health, ReadyTag);
        services.AddNodeStatus(health, LiveTag, ReadyTag);
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
        // Every setting first, before anything opens: a bad one stops the start with one line naming it.
        NodeConfigFile.RequireExists(app.Configuration);
        StartupSettings.Validate(app.Services);

        // Open the store now: a node whose store cannot open must fail at start, not on its first request.
        app.Services.GetRequiredService<IHandleStore>();
        var node = app.Services.GetRequiredService<NodeOptions>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("IdResolution.Node");
        var tls = app.Services.GetService<NodeTls>();

        // Read by Kestrel when it starts listening (after this), and per request for the body limit.
        var kestrel = app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value;
        var address = IPAddress.Parse(node.BindAddress);
        kestrel.Listen(address, node.HttpPort, listen => NodeTls.ListenHttp(listen, tls));
        kestrel.Listen(address, node.GrpcPort, listen => NodeTls.ListenGrpc(listen, tls));
        kestrel.Limits.MaxRequestBodySize = node.MaxRequestBytes;
        var scheme = tls is null ? "http" : "https";
        NodeLog.NodeStarting(logger, $"{scheme}://{node.BindAddress}:{node.HttpPort}", $"{scheme}://{node.BindAddress}:{node.GrpcPort}", StoreSelection.Describe(app.Configuration), CacheSelection.Describe(app.Configuration));
        if (app.Services.GetRequiredService<CoreOptions>().StoreStall is { StallMilliseconds: > 0 } stall)
        {
            NodeLog.StoreReadsStalled(logger, stall.StallEvery, stall.StallMilliseconds);
        }

        if (tls is not null)
        {
            SecurityLog.TlsEnabled(logger, tls.Certificate.Subject, tls.Certificate.GetCertHashString(HashAlgorithmName.SHA256), tls.ClientCertificates.ToString());
        }

        // The node key is made (or read) now, so a node that cannot keep one fails here, not on its first call to another node.
        var identity = app.Services.GetRequiredService<NodeIdentity>();
        NodeLog.NodeIdentity(logger, identity.Prefix, identity.Role.ToString(), Path.GetFullPath(app.Services.GetRequiredService<FederationOptions>().NodeKeyPath),
            identity.Credential.Fingerprint);

        // Counting starts before the first write is measured (the first administrator's creation).
        app.StartNodeStatus();
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
        app.MapBaselines();
        app.MapJsonResolve();
        app.MapGrpcService<ResolutionService>().Spends(RequestBudget.Resolution);
        app.MapGrpcService<RegistryService>().Spends(RequestBudget.Writes);
        app.MapGrpcService<AdministrationService>().Spends(RequestBudget.Writes);
        app.MapGrpcService<OperationsAdministrationService>().Spends(RequestBudget.Writes);
        app.MapGrpcService<FederationService>().Spends(RequestBudget.Resolution);
        app.MapGrpcService<EscrowService>().Spends(RequestBudget.Unlimited);
        app.MapGrpcService<EscrowAdministrationService>().Spends(RequestBudget.Writes);
        app.MapGrpcService<OperationsService>().Spends(RequestBudget.Resolution);
        app.MapGrpcReflectionService().Spends(RequestBudget.Unlimited);
        app.MapGrpcHealthChecksService().Spends(RequestBudget.Unlimited);
        app.MapHealthChecks("/healthz", new() { Predicate = check => check.Tags.Contains(LiveTag) }).Spends(RequestBudget.Unlimited);
        app.MapHealthChecks("/readyz", new() { Predicate = check => check.Tags.Contains(ReadyTag) }).Spends(RequestBudget.Unlimited);
        app.MapPrometheusScrapingEndpoint("/metrics").Spends(RequestBudget.Unlimited);
        app.MapDashboard();

        // Last, at the lowest precedence: GET /{handle} must never shadow the routes above.
        app.MapHandleProxy();
    }

    private static void BindCore(IConfiguration configuration, CoreOptions core)
    {
        configuration.GetSection(CoreOptions.IdentifiersSection).Bind(core.Identifiers);
        configuration.GetSection(CoreOptions.RecordsSection).Bind(core.Records);
        configuration.GetSection(CoreOptions.CacheSection).Bind(core.Cache);
        configuration.GetSection(CoreOptions.RegistrySection).Bind(core.Registry);
        configuration.GetSection(CoreOptions.SecuritySection).Bind(core.Security);
        configuration.GetSection(FederationOptions.Section).Bind(core.Federation);
        configuration.GetSection(CoreOptions.StoreSection).Bind(core.StoreStall);
        if (Enum.TryParse<NodeRole>(configuration[NodeOptions.Section + ":Role"], ignoreCase: true, out var role))
        {
            core.Role = role;
        }
    }
}
