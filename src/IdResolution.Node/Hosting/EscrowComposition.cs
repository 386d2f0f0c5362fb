using IdResolution.Core.Duties;
using IdResolution.Core.Federation;
using IdResolution.Core.Storage;
using IdResolution.Core.Telemetry;
using IdResolution.Node.Settings;
using IdResolution.Storage.Embedded;

namespace IdResolution.Node.Hosting;

/// <summary>Wires the escrow a node keeps of its children: the copies' store beside its own, and the loop that pulls them.</summary>
internal static class EscrowComposition
{
    public static void AddEscrow(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<EscrowOptions>(configuration, EscrowOptions.Section, EscrowOptionsValidation.Check);
        services.AddSingleton(provider =>
        {
            if (provider.GetRequiredService<NodeOptions>().Role == NodeRole.Enterprise)
            {
                return new EscrowCopies(null, "an enterprise node admits no child nodes");
            }

            if (provider.GetRequiredService<IHandleStore>() is not RocksDbHandleStore store)
            {
                return new EscrowCopies(null, "the Cassandra store keeps no escrow copies yet; children's change logs are not pulled");
            }

            var puller = new EscrowPuller(new EmbeddedEscrowStore(store), provider.GetRequiredService<INodeLink>(),
                provider.GetRequiredService<EscrowOptions>().BatchSize, provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<NodeMetrics>());
            return new EscrowCopies(puller, string.Empty);
        });
        services.AddHostedService<EscrowDuties>();
    }
}
