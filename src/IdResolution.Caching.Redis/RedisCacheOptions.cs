namespace IdResolution.Caching.Redis;

/// <summary>
/// The shared Redis cache tier (configuration section <c>Redis</c>). It is off unless
/// <see cref="Configuration"/> is set, e.g. <c>IDRES__Redis__Configuration=10.0.0.5:6379</c>, or a
/// comma-separated list of cluster nodes.
/// </summary>
public sealed class RedisCacheOptions
{
    public const string SectionName = "Redis";

    /// <summary>A StackExchange.Redis configuration string: endpoints, then options such as <c>password=</c> or <c>ssl=true</c>.</summary>
    public string? Configuration { get; set; }

    /// <summary>Prefix of every record key, so that one Redis can serve several nodes or other applications.</summary>
    public string KeyPrefix { get; set; } = "idres:h:";

    /// <summary>The pub/sub channel on which instances tell each other which handles changed.</summary>
    public string Channel { get; set; } = "idres:invalidations";

    /// <summary>How long a Redis call may take before resolution gives up on it and reads the store.</summary>
    public int TimeoutMilliseconds { get; set; } = 10;

    /// <summary>
    /// How long a written handle is held invalidated in Redis. No instance adds a record it read
    /// before the write during this time; the fill window is half of it.
    /// </summary>
    public int InvalidationHoldMilliseconds { get; set; } = 2000;

    /// <summary>Share of failed calls, within the sampling period, that opens the circuit.</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Calls in the sampling period before the breaker judges at all.</summary>
    public int BreakerMinimumThroughput { get; set; } = 20;

    public int BreakerSamplingMilliseconds { get; set; } = 5000;

    /// <summary>How long an open circuit skips Redis before one probe call is let through.</summary>
    public int BreakerBreakMilliseconds { get; set; } = 2000;

    /// <summary>Invalidations remembered while Redis is unreachable, sent when it returns.</summary>
    public int PendingInvalidationLimit { get; set; } = 100_000;

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Configuration);
}
