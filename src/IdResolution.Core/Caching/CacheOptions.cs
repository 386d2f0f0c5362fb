namespace IdResolution.Core.Caching;

/// <summary>Resolution cache settings (configuration section <c>Cache</c>).</summary>
public sealed class CacheOptions
{
    /// <summary>Upper bound on how long any record is cached, whatever its TTL (Handle.Net's default is 3,600 s).</summary>
    public int MaxTtlSeconds { get; set; } = 3600;

    /// <summary>How long a not-found answer is cached; short, because mint-then-resolve is common.</summary>
    public int NotFoundTtlSeconds { get; set; } = 60;

    /// <summary>
    /// Upper bound on how long an instance keeps a record in its own memory when a shared tier
    /// (Redis) is configured. Invalidations between instances travel through the shared tier;
    /// while it is unreachable they cannot, and this is how stale an instance can then be.
    /// </summary>
    public int LocalMaxTtlSeconds { get; set; } = 10;

    /// <summary>Most entries the in-process tier holds; beyond it the least recently used are compacted away.</summary>
    public int MaxEntries { get; set; } = 200_000;
}
