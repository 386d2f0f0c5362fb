using IdResolution.Core.Records;

namespace IdResolution.Core.Storage;

/// <summary>
/// The store as the resolution path reads it when <see cref="StoreStallOptions"/> asks for stalls: every
/// <see cref="StoreStallOptions.StallEvery"/>-th read (single or batch) waits the stall before reading; writes, the
/// change feed and the node's state pass straight through, so only the latency of reads that miss the caches changes.
/// </summary>
internal sealed class StallingHandleStore : IHandleStore
{
    private readonly IHandleStore _inner;
    private readonly TimeSpan _stall;
    private readonly int _every;
    private readonly TimeProvider _time;
    private long _reads;

    private StallingHandleStore(IHandleStore inner, StoreStallOptions options, TimeProvider time)
    {
        _inner = inner;
        _stall = TimeSpan.FromMilliseconds(options.StallMilliseconds);
        _every = options.StallEvery;
        _time = time;
    }

    /// <summary><paramref name="store"/> itself when stalling is off, so a normal node pays nothing for the setting.</summary>
    public static IHandleStore Around(IHandleStore store, StoreStallOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        return options.StallMilliseconds > 0 ? new StallingHandleStore(store, options, time) : store;
    }

    public async ValueTask<HandleRecord?> GetAsync(string key, CancellationToken cancellationToken)
    {
        await StallAsync(cancellationToken);
        return await _inner.GetAsync(key, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<HandleRecord?>> GetManyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        await StallAsync(cancellationToken);
        return await _inner.GetManyAsync(keys, cancellationToken);
    }

    public ValueTask<IReadOnlyList<StoreWriteResult>> WriteAsync(IReadOnlyList<StoreWrite> writes, CancellationToken cancellationToken) =>
        _inner.WriteAsync(writes, cancellationToken);

    public ValueTask<HandlePage> ListAsync(string prefixKey, string? afterKey, int limit, CancellationToken cancellationToken) =>
        _inner.ListAsync(prefixKey, afterKey, limit, cancellationToken);

    public ValueTask<long> CountAsync(string prefixKey, CancellationToken cancellationToken) => _inner.CountAsync(prefixKey, cancellationToken);

    public ValueTask CheckHealthAsync(CancellationToken cancellationToken) => _inner.CheckHealthAsync(cancellationToken);

    public ValueTask<ChangePage> ReadChangesAsync(long afterPosition, int limit, CancellationToken cancellationToken) =>
        _inner.ReadChangesAsync(afterPosition, limit, cancellationToken);

    public ValueTask<long> LastChangePositionAsync(CancellationToken cancellationToken) => _inner.LastChangePositionAsync(cancellationToken);

    public ValueTask<long?> ReadCursorAsync(string name, CancellationToken cancellationToken) => _inner.ReadCursorAsync(name, cancellationToken);

    public ValueTask WriteCursorAsync(string name, long value, CancellationToken cancellationToken) => _inner.WriteCursorAsync(name, value, cancellationToken);

    public ValueTask<bool> TryAcquireLeaseAsync(string name, string owner, TimeSpan duration, CancellationToken cancellationToken) =>
        _inner.TryAcquireLeaseAsync(name, owner, duration, cancellationToken);

    public ValueTask ReleaseLeaseAsync(string name, string owner, CancellationToken cancellationToken) => _inner.ReleaseLeaseAsync(name, owner, cancellationToken);

    /// <summary>The wrapped store belongs to whoever opened it (the host's container), which closes it once.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Task StallAsync(CancellationToken cancellationToken) =>
        Interlocked.Increment(ref _reads) % _every == 0 ? Task.Delay(_stall, _time, cancellationToken) : Task.CompletedTask;
}
