using System.Diagnostics.Metrics;
using IdResolution.Core.Telemetry;

namespace IdResolution.LoadTests;

/// <summary>
/// Which tier answered, read from the node's own instruments as an exporter would read them, so a
/// scenario can show that it measured the tier it is named after (a Redis timeout, say, falls back
/// to the store silently). Counts are kept per thread, so that listening adds no shared-memory
/// contention to the measured path.
/// </summary>
internal sealed class TierCounters : IDisposable
{
    // Instrument names and the tier tag as NodeMetrics and the Redis tier declare them.
    private const string CacheHits = "idres.cache.hits";
    private const string StoreReads = "idres.store.reads";
    private const string RedisTier = "redis";

    private readonly MeterListener _listener = new();
    private readonly ThreadLocal<Counts> _counts = new(() => new Counts(), trackAllValues: true);

    public TierCounters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == NodeMetrics.MeterName && instrument.Name is CacheHits or StoreReads)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>Totals so far; exact once the threads that count have finished their work.</summary>
    public TierCount Read()
    {
        long inProcess = 0, redis = 0, store = 0;
        foreach (var counts in _counts.Values)
        {
            inProcess += Volatile.Read(ref counts.InProcessHits);
            redis += Volatile.Read(ref counts.RedisHits);
            store += Volatile.Read(ref counts.StoreReads);
        }

        return new TierCount(inProcess, redis, store);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _counts.Dispose();
    }

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        var counts = _counts.Value!;
        if (instrument.Name == StoreReads)
        {
            counts.StoreReads += value;
            return;
        }

        foreach (var tag in tags)
        {
            if (tag.Key == "tier")
            {
                if (tag.Value is NodeMetrics.InProcessTier)
                {
                    counts.InProcessHits += value;
                }
                else if (tag.Value is RedisTier)
                {
                    counts.RedisHits += value;
                }
            }
        }
    }

    private sealed class Counts
    {
        public long InProcessHits;
        public long RedisHits;
        public long StoreReads;
    }
}

/// <summary>Resolutions answered by each tier over a period.</summary>
internal readonly record struct TierCount(long InProcessHits, long RedisHits, long StoreReads)
{
    public static TierCount operator -(TierCount after, TierCount before) =>
        new(after.InProcessHits - before.InProcessHits, after.RedisHits - before.RedisHits, after.StoreReads - before.StoreReads);

    public long Of(ServingTier tier) => tier switch
    {
        ServingTier.InProcess => InProcessHits,
        ServingTier.Redis => RedisHits,
        _ => StoreReads,
    };
}
