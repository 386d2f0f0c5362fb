using IdResolution.Core.Records;

namespace IdResolution.Core.Storage;

/// <summary>
/// The store as the resolution path reads it when <see cref="StoreStallOptions"/> asks for stalls: every
/// <see cref="StoreStallOptions.StallEvery"/>-th read (single or batch) freezes the store's reads for the stall, as a
/// compaction, a disk hiccup or a pause of the whole store would: that read and every read that arrives before the
/// freeze ends wait until it ends. A freeze of all reads, not one slow read, is what a closed-loop load generator
/// hides (its callers stop sending while they wait) and an open-loop one must show. Writes, the change feed and the
/// node's state pass straight through, so only the latency of reads that miss the caches changes.
/// </summary>
internal sealed class StallingHandleStore : IHandleStore
{
    private readonly IHandleStore _inner;
    private readonly TimeSpan _stall;
    private readonly int _every;
    private readonly TimeProvider _time;
    private long _reads;

    /// <summary>When the current freeze ends, in UTC ticks of <see cref="_time"/> (0: none yet).</summary>
    private long _frozenUntil;

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

    public bool PositionsAreDense => _inner.PositionsAreDense;

    public ValueTask<long?> ReadCursorAsync(string name, CancellationToken cancellationToken) => _inner.ReadCursorAsync(name, cancellationToken);

    public ValueTask WriteCursorAsync(string name, long value, CancellationToken cancellationToken) => _inner.WriteCursorAsync(name, value, cancellationToken);

    public ValueTask<bool> TryAcquireLeaseAsync(string name, string owner, TimeSpan duration, CancellationToken cancellationToken) =>
        _inner.TryAcquireLeaseAsync(name, owner, duration, cancellationToken);

    public ValueTask ReleaseLeaseAsync(string name, string owner, CancellationToken cancellationToken) => _inner.ReleaseLeaseAsync(name, owner, cancellationToken);

    /// <summary>The wrapped store belongs to whoever opened it (the host's container), which closes it once.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Task StallAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().UtcTicks;
        if (Interlocked.Increment(ref _reads) % _every == 0)
        {
            // A freeze that starts while one lasts extends it; racing starters keep the later end.
            var until = now + _stall.Ticks;
            for (var current = Volatile.Read(ref _frozenUntil); current < until; current = Volatile.Read(ref _frozenUntil))
            {
                if (Interlocked.CompareExchange(ref _frozenUntil, until, current) == current)
                {
                    break;
                }
            }
        }

        var remaining = Volatile.Read(ref _frozenUntil) - now;
        return remaining > 0 ? Task.Delay(TimeSpan.FromTicks(remaining), _time, cancellationToken) : Task.CompletedTask;
    }
}
