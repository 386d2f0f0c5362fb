using IdResolution.Core.Storage;

namespace IdResolution.Node.Dashboard;

/// <summary>The store of record: one health read (for Cassandra, writes and authoritative reads at the configured consistency).</summary>
internal sealed class StoreCheck(IHandleStore store) : IDependencyCheck
{
    public string Name => "store";

    public bool Essential => true;

    public async ValueTask<DependencyReading> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.CheckHealthAsync(cancellationToken);
            return DependencyReading.Up("store reachable");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any failure is the reading: the store cannot serve, and the message says why.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return DependencyReading.Down("store unavailable: " + exception.Message);
        }
    }
}
