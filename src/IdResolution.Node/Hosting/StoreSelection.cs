using IdResolution.Core.Storage;
using IdResolution.Node.Settings;
using IdResolution.Storage.Cassandra;
using IdResolution.Storage.Embedded;
using Microsoft.Extensions.Options;

namespace IdResolution.Node.Hosting;

/// <summary>Chooses the store of record from <c>Store:Kind</c>; the embedded store is the default.</summary>
internal static class StoreSelection
{
    public static string Describe(IConfiguration configuration) => IsCassandra(configuration)
        ? $"Cassandra at {configuration["Cassandra:ContactPoints"] ?? "127.0.0.1"} (data centre {configuration["Cassandra:LocalDataCenter"]}, keyspace {configuration["Cassandra:Keyspace"] ?? "idresolution"})"
        : $"Embedded at {Path.GetFullPath(configuration["Store:Path"] ?? "./data")}";

    private static bool IsCassandra(IConfiguration configuration) =>
        string.Equals(configuration[$"{StoreOptions.Section}:Kind"], StoreOptions.Cassandra, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The store is opened when first used (the host opens it before listening, after the settings are
    /// checked), so a store that cannot open, or a cluster that cannot be reached, fails the start.
    /// </summary>
    public static void AddHandleStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<StoreOptions>(configuration, StoreOptions.Section, HostingOptionsValidation.Check);
        if (IsCassandra(configuration))
        {
            services.AddSettings<CassandraStoreOptions>(configuration, CassandraStoreOptions.SectionName, CassandraStoreOptionsValidation.Check);
            services.AddSettings<CassandraChangeLogOptions>(configuration, CassandraChangeLogOptions.SectionName, CassandraChangeLogOptionsValidation.Check);
            services.AddSingleton<IHandleStore>(provider => CassandraHandleStore.ConnectAsync(
                provider.GetRequiredService<IOptions<CassandraStoreOptions>>().Value, provider.GetRequiredService<CassandraChangeLogOptions>(), provider.GetRequiredService<TimeProvider>(),
                provider.GetService<ILoggerFactory>(), provider.GetService<System.Diagnostics.Metrics.IMeterFactory>(), CancellationToken.None).AsTask().GetAwaiter().GetResult());
            return;
        }

        // Disposed by the container, which drains queued writes before closing.
        services.AddSettings<EmbeddedStoreOptions>(configuration, EmbeddedStoreOptions.SectionName, EmbeddedStoreOptionsValidation.Check);
        services.AddSettings<ChangeLogOptions>(configuration, ChangeLogOptions.SectionName, ChangeLogOptionsValidation.Check);
        services.AddSingleton<IHandleStore>(provider => RocksDbHandleStore.Open(
            provider.GetRequiredService<EmbeddedStoreOptions>(), provider.GetRequiredService<ChangeLogOptions>(), provider.GetRequiredService<TimeProvider>()));
    }
}
