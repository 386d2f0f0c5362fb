using IdResolution.Core.Caching;

namespace IdResolution.LoadTests;

/// <summary>
/// One cache situation: the cache settings the core runs with, whether the Redis tier is behind
/// it, and which tier is meant to answer every measured resolution. The settings come from a
/// factory because <see cref="CacheOptions"/> is mutable and each scenario's core gets its own.
/// </summary>
internal sealed record CacheScenario(string Name, ScenarioSelection Selection, string Meaning, Func<CacheOptions> Cache, bool UsesRedis, ServingTier Expected)
{
    public static CacheScenario InProcessHit { get; } = new(
        "in-process-hit",
        ScenarioSelection.InProcess,
        "record in the instance's own memory",
        () => new CacheOptions(),
        UsesRedis: false,
        ServingTier.InProcess);

    // A zero local cap leaves the in-process tier holding nothing, so each resolution asks Redis.
    public static CacheScenario RedisHit { get; } = new(
        "redis-hit",
        ScenarioSelection.Redis,
        "record in Redis, in-process tier holding nothing",
        () => new CacheOptions { LocalMaxTtlSeconds = 0 },
        UsesRedis: true,
        ServingTier.Redis);

    public static CacheScenario StoreRead { get; } = new(
        "store-read",
        ScenarioSelection.Store,
        "nothing cached: every resolution reads RocksDB",
        () => new CacheOptions { MaxTtlSeconds = 0, NotFoundTtlSeconds = 0 },
        UsesRedis: false,
        ServingTier.Store);

    public static IReadOnlyList<CacheScenario> All { get; } = [InProcessHit, RedisHit, StoreRead];
}

internal enum ServingTier
{
    InProcess,
    Redis,
    Store,
}
