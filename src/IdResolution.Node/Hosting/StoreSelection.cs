using IdResolution.Core.Storage;
using IdResolution.Storage.Embedded;

namespace IdResolution.Node.Hosting;

/// <summary>Chooses the store of record from <c>Store:Kind</c>; the embedded store is the default.</summary>
internal static class StoreSelection
{
    public static string Describe(IConfiguration configuration) =>
        $"{configuration["Store:Kind"] ?? "Embedded"} at {Path.GetFullPath(configuration["Store:Path"] ?? "./data")}";

    public static void AddHandleStore(this IServiceCollection services, IConfiguration configuration)
    {
        var kind = configuration["Store:Kind"] ?? "Embedded";
        if (!string.Equals(kind, "Embedded", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Store:Kind '{kind}' is not known; the choices are: Embedded.");
        }

        var options = new EmbeddedStoreOptions();
        configuration.GetSection(EmbeddedStoreOptions.SectionName).Bind(options);

        // Opened on first use and disposed by the container, which drains queued writes before closing.
        services.AddSingleton<IHandleStore>(_ => RocksDbHandleStore.Open(options));
    }
}
