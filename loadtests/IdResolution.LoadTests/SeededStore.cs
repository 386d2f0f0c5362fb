using System.Globalization;
using System.Text;
using IdResolution.Audit;
using IdResolution.Core.Composition;
using IdResolution.Core.Records;
using IdResolution.Core.Registration;
using IdResolution.Core.Security;
using IdResolution.Core.Telemetry;
using IdResolution.Storage.Embedded;

namespace IdResolution.LoadTests;

/// <summary>
/// One embedded store, in a directory of its own, holding the handles every scenario resolves.
/// They are written once, through the registrar, so that they are stored exactly as the node stores them.
/// </summary>
internal sealed class SeededStore : IAsyncDisposable
{
    // Below the registry's batch limit, with room to spare if that limit is lowered.
    private const int WriteBatch = 1000;

    private static readonly Caller Seeder = Caller.Administrator("load-test", "127.0.0.1");

    private SeededStore(RocksDbHandleStore store, FileAuditLog audit, string[] handles)
    {
        Store = store;
        Audit = audit;
        Handles = handles;
    }

    public RocksDbHandleStore Store { get; }

    public FileAuditLog Audit { get; }

    public IReadOnlyList<string> Handles { get; }

    public static async Task<SeededStore> CreateAsync(string directory, int count, CancellationToken cancellationToken)
    {
        var handles = new string[count];
        for (var i = 0; i < count; i++)
        {
            handles[i] = string.Create(CultureInfo.InvariantCulture, $"88.709.911/BENCH-{i:D5}");
        }

        var store = RocksDbHandleStore.Open(new EmbeddedStoreOptions { Path = Path.Combine(directory, "store") });
        SeededStore? seeded = null;
        try
        {
            seeded = new SeededStore(store, new FileAuditLog(Path.Combine(directory, "audit")), handles);
            await seeded.WriteAsync(cancellationToken);
            return seeded;
        }
        catch
        {
            if (seeded is not null)
            {
                await seeded.DisposeAsync();
            }
            else
            {
                await store.DisposeAsync();
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        await Audit.DisposeAsync();
    }

    private static HandleValue Url(string handle) => new()
    {
        Index = 1,
        Type = WellKnownTypes.Url,
        Data = Encoding.UTF8.GetBytes("https://example.com/" + handle),
    };

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        using var metrics = NodeMetrics.CreateStandalone();
        using var core = new CoreServices(Store, Audit, new CoreOptions(), TimeProvider.System, metrics);
        foreach (var chunk in Handles.Chunk(WriteBatch))
        {
            var requests = Array.ConvertAll(chunk, handle => new CreateRequest(handle, [Url(handle)]));
            var outcomes = await core.Registrar.CreateBatchAsync(Seeder, requests, cancellationToken);
            for (var i = 0; i < outcomes.Count; i++)
            {
                if (!outcomes[i].IsSuccess)
                {
                    throw new InvalidOperationException($"creating {chunk[i]} failed: {outcomes[i].Code} {outcomes[i].Message}");
                }
            }
        }
    }
}
