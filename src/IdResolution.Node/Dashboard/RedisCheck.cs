using IdResolution.Caching.Redis;

namespace IdResolution.Node.Dashboard;

/// <summary>The shared Redis tier: a PING past the circuit breaker, so an idle node sees a dead Redis too.</summary>
internal sealed class RedisCheck(RedisRecordCache? cache) : IDependencyCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(900);

    public string Name => "redis";

    public bool Essential => false;

    public async ValueTask<DependencyReading> CheckAsync(CancellationToken cancellationToken)
    {
        if (cache is null)
        {
            return DependencyReading.NotConfigured("no Redis:Configuration: in-process cache only");
        }

        try
        {
            var roundTrip = await cache.PingAsync(Timeout, cancellationToken);
            return DependencyReading.Up($"PING answered in {roundTrip.TotalMilliseconds:0.0} ms");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutException)
        {
            return DependencyReading.Down($"no answer to PING within {Timeout.TotalMilliseconds:0} ms");
        }
#pragma warning disable CA1031 // Every client failure (connection refused, not connected, ...) is the reading.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return DependencyReading.Down(exception.Message);
        }
    }
}
