using IdResolution.Core.Duties;
using IdResolution.Core.Escrow;
using IdResolution.Core.Federation;
using IdResolution.Core.Storage;
using IdResolution.Core.Telemetry;
using IdResolution.Node.Escrow;
using IdResolution.Node.Settings;
using IdResolution.Storage.Embedded;

namespace IdResolution.Node.Hosting;

/// <summary>Wires the escrow a node keeps of its children: the copies' store beside its own, and the loop that pulls them.</summary>
internal static class EscrowComposition
{
    public static void AddEscrow(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<EscrowOptions>(configuration, EscrowOptions.Section, EscrowOptionsValidation.Check);
        // The copies' store on its own (it needs only the node's store), so the core can read it for a takeover
        // without depending on the link the puller uses. Null where the node keeps no copies: the core then
        // refuses a takeover, and the puller is off for the reason below.
        services.AddSingleton<IEscrowStore>(provider => OffReason(provider) is null ? new EmbeddedEscrowStore((RocksDbHandleStore)provider.GetRequiredService<IHandleStore>()) : null!);
        services.AddSingleton(provider =>
        {
            if (OffReason(provider) is { } reason)
            {
                return new EscrowCopies(null, reason);
            }

            var puller = new EscrowPuller(provider.GetRequiredService<IEscrowStore>(), provider.GetRequiredService<INodeLink>(),
                provider.GetRequiredService<EscrowOptions>().BatchSize, provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<NodeMetrics>());
            return new EscrowCopies(puller, string.Empty);
        });
        services.AddHostedService<EscrowDuties>();
    }

    private static string? OffReason(IServiceProvider provider) =>
        provider.GetRequiredService<NodeOptions>().Role == NodeRole.Enterprise ? "an enterprise node admits no child nodes"
        : provider.GetRequiredService<IHandleStore>() is not RocksDbHandleStore ? "the Cassandra store keeps no escrow copies yet; children's change logs are not pulled"
        : null;
}
