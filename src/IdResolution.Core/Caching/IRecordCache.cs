using IdResolution.Core.Records;

namespace IdResolution.Core.Caching;

/// <summary>
/// The resolution cache, by canonical key. It holds both records and not-found answers. The
/// in-process tier answers synchronously; tiers added behind it (Redis) implement the same port.
/// </summary>
public interface IRecordCache
{
    ValueTask<CacheLookup> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Caches a record, or a not-found answer when <paramref name="record"/> is null, for <paramref name="ttl"/>.</summary>
    ValueTask SetAsync(string key, HandleRecord? record, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Drops what is cached for a key after a write, so the next lookup reads the store.</summary>
    ValueTask InvalidateAsync(string key, CancellationToken cancellationToken);

    /// <summary>Drops everything, when invalidations may have been missed.</summary>
    void Clear();
}

/// <summary>
/// A cache answer: a miss, a cached record, or a cached not-found. A tier that knows how much
/// longer the answer may be cached says so in <see cref="TimeToLive"/>.
/// </summary>
public readonly record struct CacheLookup(bool Hit, HandleRecord? Record, TimeSpan? TimeToLive = null)
{
    public static CacheLookup Miss => default;

    public static CacheLookup NotFound => new(true, null);

    public static CacheLookup Of(HandleRecord record) => new(true, record);
}
