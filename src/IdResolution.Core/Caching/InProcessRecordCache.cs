using IdResolution.Core.Records;
using IdResolution.Core.Telemetry;
using Microsoft.Extensions.Caching.Memory;

namespace IdResolution.Core.Caching;

/// <summary>
/// The in-process tier: a size-bounded <see cref="MemoryCache"/> (one unit per entry). Lookups
/// complete synchronously, so a hit allocates nothing.
/// </summary>
public sealed class InProcessRecordCache : IRecordCache, IDisposable
{
    private static readonly object NotFoundMarker = new();
    private readonly MemoryCache _cache;
    private readonly NodeMetrics _metrics;

    public InProcessRecordCache(CacheOptions options, TimeProvider time, NodeMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(metrics);
        _metrics = metrics;
        _cache = new MemoryCache(new MemoryCacheOptions
        {
            SizeLimit = Math.Max(1, options.MaxEntries),
            Clock = new TimeProviderClock(time),
            CompactionPercentage = 0.10,
        });
    }

    public long Count => _cache.Count;

    public ValueTask<CacheLookup> GetAsync(string key, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(key, out var entry))
        {
            _metrics.CacheHit(NodeMetrics.InProcessTier);
            return ValueTask.FromResult(ReferenceEquals(entry, NotFoundMarker) ? CacheLookup.NotFound : CacheLookup.Of((HandleRecord)entry!));
        }

        _metrics.CacheMiss(NodeMetrics.InProcessTier);
        return ValueTask.FromResult(CacheLookup.Miss);
    }

    public ValueTask SetAsync(string key, HandleRecord? record, TimeSpan ttl, CancellationToken cancellationToken)
    {
        if (ttl > TimeSpan.Zero)
        {
            using var entry = _cache.CreateEntry(key);
            entry.Value = record ?? NotFoundMarker;
            entry.Size = 1;
            entry.AbsoluteExpirationRelativeToNow = ttl;
        }
        else
        {
            _cache.Remove(key);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask InvalidateAsync(string key, CancellationToken cancellationToken)
    {
        _cache.Remove(key);
        return ValueTask.CompletedTask;
    }

    public void Clear() => _cache.Clear();

    public void Dispose() => _cache.Dispose();

#pragma warning disable CS0618 // MemoryCacheOptions.Clock still takes ISystemClock; this adapts the node's TimeProvider.
    private sealed class TimeProviderClock(TimeProvider time) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => time.GetUtcNow();
    }
#pragma warning restore CS0618
}
