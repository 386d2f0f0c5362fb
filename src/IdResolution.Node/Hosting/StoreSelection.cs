using IdResolution.Core.Storage;
using IdResolution.Storage.Cassandra;
using IdResolution.Storage.Embedded;

namespace IdResolution.Node.Hosting;

/// <summary>Chooses the store of record from <c>Store:Kind</c>; the embedded store is the default.</summary>
internal static class StoreSelection
{
    public static string Describe(IConfiguration configuration) => IsCassandra(configuration)
        ? $"Cassandra at {configuration["Cassandra:ContactPoints"] ?? "127.0.0.1"} (data centre {configuration["Cassandra:LocalDataCenter"]}, keyspace {configuration["Cassandra:Keyspace"] ?? "idresolution"})"
        : $"Embedded at {Path.GetFullPath(configuration["Store:Path"] ?? "./data")}";

    private static bool IsCassandra(IConfiguration configuration) =>
        string.Equals(configuration["Store:Kind"], "Cassandra", StringComparison.OrdinalIgnoreCase);

    public static void AddHandleStore(this IServiceCollection services, IConfiguration configuration)
    {
        var kind = configuration["Store:Kind"] ?? "Embedded";
        if (IsCassandra(configuration))
        {
            var cassandra = new CassandraStoreOptions();
            configuration.GetSection(CassandraStoreOptions.SectionName).Bind(cassandra);

            // Connected when first used (the host opens it before listening), so a cluster that cannot be reached fails the start.
            services.AddSingleton<IHandleStore>(sp => CassandraHandleStore.ConnectAsync(
                cassandra, sp.GetService<ILoggerFactory>(), sp.GetService<System.Diagnostics.Metrics.IMeterFactory>(), CancellationToken.None).AsTask().GetAwaiter().GetResult());
            return;
        }

        if (!string.Equals(kind, "Embedded", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Store:Kind '{kind}' is not known; the choices are: Embedded, Cassandra.");
        }

        var options = new EmbeddedStoreOptions();
        configuration.GetSection(EmbeddedStoreOptions.SectionName).Bind(options);

        // Opened on first use and disposed by the container, which drains queued writes before closing.
        services.AddSingleton<IHandleStore>(_ => RocksDbHandleStore.Open(options));
    }
}
