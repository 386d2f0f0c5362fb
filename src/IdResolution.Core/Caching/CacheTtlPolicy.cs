using IdResolution.Core.Records;

namespace IdResolution.Core.Caching;

/// <summary>How long an answer may be cached: the smallest TTL among the record's values, capped.</summary>
public sealed class CacheTtlPolicy
{
    private readonly CacheOptions _options;
    private readonly TimeProvider _time;

    public CacheTtlPolicy(CacheOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _time = time;
    }

    public TimeSpan For(HandleRecord? record)
    {
        if (record is null)
        {
            return TimeSpan.FromSeconds(Math.Max(0, _options.NotFoundTtlSeconds));
        }

        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        long seconds = Math.Max(0, _options.MaxTtlSeconds);
        foreach (var value in record.Values)
        {
            seconds = Math.Min(seconds, value.CacheSeconds(now));
        }

        return TimeSpan.FromSeconds(seconds);
    }
}
