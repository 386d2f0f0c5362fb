using IdResolution.Core.Storage;

namespace IdResolution.Node.Hosting;

/// <summary>Chooses the store of record from <c>Store:Kind</c>; the embedded store is the default.</summary>
internal static class StoreSelection
{
    public static void AddHandleStore(this IServiceCollection services, IConfiguration configuration)
    {
        var kind = configuration["Store:Kind"] ?? "Embedded";
        if (!string.Equals(kind, "Embedded", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Store:Kind '{kind}' is not known; use 'Embedded'.");
        }

        services.AddSingleton<IHandleStore>(_ => throw new NotSupportedException("embedded store is wired after the store branch lands"));
    }
}
