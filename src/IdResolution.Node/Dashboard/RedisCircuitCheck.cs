using IdResolution.Caching.Redis;
using Polly.CircuitBreaker;

namespace IdResolution.Node.Dashboard;

/// <summary>
/// The Redis tier's circuit breaker as its own indicator: closed (up), half-open (degraded: one trial
/// call), open (down: resolution skips Redis and reads the store).
/// </summary>
internal sealed class RedisCircuitCheck(RedisRecordCache? cache) : IDependencyCheck
{
    public string Name => "redis_circuit";

    public bool Essential => false;

    public ValueTask<DependencyReading> CheckAsync(CancellationToken cancellationToken) => ValueTask.FromResult(cache?.Circuit switch
    {
        null => DependencyReading.NotConfigured("no Redis tier"),
        CircuitState.Closed => DependencyReading.Up("closed: Redis is used"),
        CircuitState.HalfOpen => new DependencyReading(DependencyStates.Degraded, "half-open: one trial call decides"),
        var state => DependencyReading.Down($"{state.ToString()!.ToLowerInvariant()}: Redis is skipped, resolution reads the store"),
    });
}
