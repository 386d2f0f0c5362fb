using IdResolution.Core.Storage;

namespace IdResolution.Caching.Redis.Tests.Support;

/// <summary>
/// One instance's view of the shared embedded store, with its record reads counted (prefix handles apart): how the tests
/// see what reached the store from that instance. The store itself belongs to <see cref="SharedStore"/>.
/// </summary>
internal sealed class CountingStore(IHandleStore inner) : IHandleStore
{
    private int _reads;

    public int Reads => Volatile.Read(ref _reads);

    public ValueTask<Core.Records.HandleRecord?> GetAsync(string key, CancellationToken cancellationToken)
    {
        // Prefix handles are read by the jurisdiction check, apart from the record a resolution reads.
        if (!key.StartsWith("0.NA/", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _reads);
        }

        return inner.GetAsync(key, cancellationToken);
    }

    public ValueTask<IReadOnlyList<Core.Records.HandleRecord?>> GetManyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        foreach (var key in keys)
        {
            if (!key.StartsWith("0.NA/", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _reads);
            }
        }

        return inner.GetManyAsync(keys, cancellationToken);
    }

    public ValueTask<IReadOnlyList<StoreWriteResult>> WriteAsync(IReadOnlyList<StoreWrite> writes, CancellationToken cancellationToken) =>
        inner.WriteAsync(writes, cancellationToken);

    public ValueTask<HandlePage> ListAsync(string prefixKey, string? afterKey, int limit, CancellationToken cancellationToken) =>
        inner.ListAsync(prefixKey, afterKey, limit, cancellationToken);

    public ValueTask<long> CountAsync(string prefixKey, CancellationToken cancellationToken) => inner.CountAsync(prefixKey, cancellationToken);

    public ValueTask CheckHealthAsync(CancellationToken cancellationToken) => inner.CheckHealthAsync(cancellationToken);

    public ValueTask<ChangePage> ReadChangesAsync(long afterPosition, int limit, CancellationToken cancellationToken) =>
        inner.ReadChangesAsync(afterPosition, limit, cancellationToken);

    public ValueTask<long> LastChangePositionAsync(CancellationToken cancellationToken) => inner.LastChangePositionAsync(cancellationToken);

    public ValueTask<long?> ReadCursorAsync(string name, CancellationToken cancellationToken) => inner.ReadCursorAsync(name, cancellationToken);

    public ValueTask WriteCursorAsync(string name, long value, CancellationToken cancellationToken) => inner.WriteCursorAsync(name, value, cancellationToken);

    public ValueTask<bool> TryAcquireLeaseAsync(string name, string owner, TimeSpan duration, CancellationToken cancellationToken) =>
        inner.TryAcquireLeaseAsync(name, owner, duration, cancellationToken);

    public ValueTask ReleaseLeaseAsync(string name, string owner, CancellationToken cancellationToken) => inner.ReleaseLeaseAsync(name, owner, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
