using System.Diagnostics.Metrics;
using IdResolution.Core.Telemetry;
using Polly.CircuitBreaker;

namespace IdResolution.Caching.Redis;

/// <summary>
/// The Redis tier's instruments, on the node's meter so that they are exported with the rest.
/// Hits and misses go through <see cref="NodeMetrics"/> with <c>tier=redis</c>, beside the
/// in-process tier's. The running totals are kept for tests and the operator's log lines.
/// </summary>
internal sealed class RedisCacheMetrics : IDisposable
{
    public const string Tier = "redis";

    private readonly NodeMetrics _node;
    private readonly Meter _meter;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _invalidations;
    private long _hits;
    private long _misses;
    private long _failureCount;
    private long _sent;
    private long _received;

    public RedisCacheMetrics(NodeMetrics node, IMeterFactory? meters, Func<CircuitState> breaker, Func<long> pending)
    {
        _node = node;
        _meter = meters?.Create(NodeMetrics.MeterName) ?? new Meter(NodeMetrics.MeterName);
        _duration = _meter.CreateHistogram("idres.redis.duration", unit: "s", description: "Time of Redis calls that completed, by operation.", tags: null, advice: DurationBuckets.Advice);
        _failures = _meter.CreateCounter<long>("idres.redis.failures", description: "Redis calls that failed, timed out or were skipped by the open circuit, by operation and reason.");
        _invalidations = _meter.CreateCounter<long>("idres.cache.invalidations", description: "Handles invalidated through Redis, by direction (sent, received).");
        _meter.CreateObservableGauge("idres.redis.breaker.state", () => BreakerValue(breaker()), description: "Redis circuit: 0 closed, 1 open, 2 half-open, 3 isolated.");
        _meter.CreateObservableGauge("idres.redis.invalidations.pending", pending, description: "Invalidations waiting for Redis to return.");
    }

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    public long Failures => Interlocked.Read(ref _failureCount);

    public long InvalidationsSent => Interlocked.Read(ref _sent);

    public long InvalidationsReceived => Interlocked.Read(ref _received);

    public void Hit()
    {
        Interlocked.Increment(ref _hits);
        _node.CacheHit(Tier);
    }

    public void Miss()
    {
        Interlocked.Increment(ref _misses);
        _node.CacheMiss(Tier);
    }

    public void Completed(string operation, TimeSpan elapsed) =>
        _duration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("operation", operation));

    public void Failed(string operation, string reason)
    {
        Interlocked.Increment(ref _failureCount);
        _failures.Add(1, new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("reason", reason));
    }

    public void Sent(int count)
    {
        Interlocked.Add(ref _sent, count);
        _invalidations.Add(count, new KeyValuePair<string, object?>("direction", "sent"));
    }

    public void Received(int count)
    {
        Interlocked.Add(ref _received, count);
        _invalidations.Add(count, new KeyValuePair<string, object?>("direction", "received"));
    }

    public void Dispose() => _meter.Dispose();

    private static int BreakerValue(CircuitState state) => state switch
    {
        CircuitState.Closed => 0,
        CircuitState.Open => 1,
        CircuitState.HalfOpen => 2,
        _ => 3,
    };
}
