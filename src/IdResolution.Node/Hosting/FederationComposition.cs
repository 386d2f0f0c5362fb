using System.Security.Cryptography;
using IdResolution.Core.Administration;
using IdResolution.Core.Composition;
using IdResolution.Core.Duties;
using IdResolution.Core.Federation;
using IdResolution.Core.Monitoring;
using IdResolution.Core.Storage;
using IdResolution.Core.Telemetry;
using IdResolution.Federation;
using IdResolution.Node.Api;
using IdResolution.Node.Security;

namespace IdResolution.Node.Hosting;

/// <summary>Wires the node's place in the hierarchy: node-to-node calls it serves, and its duties to its parent.</summary>
internal static class FederationComposition
{
    public static void AddFederation(this IServiceCollection services)
    {
        // Every node calls other nodes: its parent, and whichever node a referral names (a top level its children).
        services.AddSingleton<INodeLink>(provider => new GrpcNodeLink(
            new NodeLinkOptions
            {
                OwnPrefix = provider.GetRequiredService<CoreOptions>().Security.NodePrefix,
                NodeKey = provider.GetRequiredService<NodeIdentity>().Key,
                ClientCertificate = provider.GetService<NodeTls>()?.Certificate,
                Federation = provider.GetRequiredService<FederationOptions>(),
            },
            provider.GetService<ILoggerFactory>(), provider.GetService<System.Diagnostics.Metrics.IMeterFactory>(), provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(provider => new FederationAccess(provider.GetService<NodeTls>() is not null,
            provider.GetRequiredService<CoreServices>().Options.Federation.AllowInsecure));
        services.AddSingleton(provider =>
        {
            var core = provider.GetRequiredService<CoreServices>();
            var pin = provider.GetService<NodeTls>()?.Certificate.GetCertHashString(HashAlgorithmName.SHA256);
            return new SiteAdvertiser(core.Registrar, core.Source, core.Grammar, core.Jurisdiction, core.Options.Federation, pin);
        });
        services.AddSingleton(provider => (IStoreDump)provider.GetRequiredService<IHandleStore>());
        services.AddSingleton(provider =>
        {
            var store = provider.GetRequiredService<IHandleStore>();
            return new EscrowDeposit(store, store, store as IChangeRetention, provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<NodeMetrics>());
        });
        services.AddHostedService<FederationDuties>();

        // A parent's operator desk for taking a child over; the escrow store is optional (a takeover is then refused).
        services.AddSingleton(provider =>
        {
            var core = provider.GetRequiredService<CoreServices>();
            return new TakeoverDesk(core.Registrar, core.Source, core.Grammar, core.Jurisdiction, core.Audit, core.Escrow,
                provider.GetService<ChildHeartbeats>(), provider.GetRequiredService<TimeProvider>());
        });
    }

    /// <summary>The child's view of a takeover by its parent, when it has a parent and a store that keeps cursors; else null.</summary>
    public static TakeoverObserver? CreateTakeoverObserver(IServiceProvider provider)
    {
        var core = provider.GetRequiredService<CoreServices>();
        return core.Referrals.Parent is { } parent && core.Store is INodeState state
            ? new TakeoverObserver(state, core.Audit, core.Jurisdiction.NodePrefix, parent.Prefix, provider.GetRequiredService<TimeProvider>())
            : null;
    }

    /// <summary>The filer, when the node has a parent, a link to other nodes, and a store with a change log; else null.</summary>
    public static PrefixFiler? CreateFiler(IServiceProvider provider)
    {
        var core = provider.GetRequiredService<CoreServices>();
        var link = provider.GetService<INodeLink>();
        return core.Referrals.Parent is { } parent && link is not null && core.Store is IChangeFeed feed && core.Store is INodeState state
            ? new PrefixFiler(feed, state, link, parent, core.Jurisdiction, core.Grammar, core.Options.Federation,
                provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<NodeMetrics>())
            : null;
    }
}
