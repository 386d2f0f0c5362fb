using IdResolution.Core.Records;

namespace IdResolution.Core.Caching;

/// <summary>
/// The cache every instance of the node shares (Redis), behind each instance's in-process tier.
/// It is a cache, never the record of truth: implementations turn their own failures into misses
/// and no-ops, so losing it costs speed, never an answer or a write.
/// </summary>
public interface ISharedRecordCache
{
    /// <summary>
    /// How long after a store read began its answer may still be added. An invalidation holds the
    /// key for longer than this, so an answer read before a write cannot land after the write's
    /// invalidation and outlive it.
    /// </summary>
    TimeSpan FillWindow { get; }

    ValueTask<CacheLookup> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Looks many keys up at once, one answer per key in order: sent together (pipelined, each key to the
    /// node that holds its slot), so a batch costs about one round trip.
    /// </summary>
    ValueTask<CacheLookup[]> GetManyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken);

    /// <summary>
    /// Adds an answer read from the store (a not-found when <paramref name="record"/> is null),
    /// unless the key already holds one or was invalidated moments ago.
    /// </summary>
    ValueTask AddAsync(string key, HandleRecord? record, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>
    /// After writes: drops the keys from the shared tier and tells every other instance to drop its
    /// in-process copies. An invalidation that cannot be delivered now is delivered later.
    /// </summary>
    ValueTask InvalidateAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken);

    /// <summary>
    /// Registers what to do when another instance invalidated a key. A null key means invalidations
    /// may have been missed (the subscription was lost), so nothing held in-process can be trusted.
    /// </summary>
    IDisposable Subscribe(Action<string?> onInvalidated);
}
