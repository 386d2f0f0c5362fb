namespace IdResolution.Core.Monitoring;

/// <summary>What a child node counts since it started (<see cref="StartedAt"/>), sent to its parent with each heartbeat.</summary>
public sealed record HeartbeatFigures(
    long Resolutions,
    long Registrations,
    long Errors,
    TimeSpan Uptime,
    string Version,
    long FeedLastPosition,
    long FilingBacklog,
    DateTimeOffset StartedAt)
{
    /// <summary>Answers with an error since start, by Handle response code (their sum is <see cref="Errors"/>).</summary>
    public IReadOnlyDictionary<int, long> ErrorsByCode { get; init; } = new Dictionary<int, long>();

    /// <summary>Resolution latency over the child's last minute, in milliseconds.</summary>
    public double ResolveP50Ms { get; init; }

    public double ResolveP99Ms { get; init; }

    /// <summary>Cache hit ratio since start, by tier, from 0 to 1.</summary>
    public IReadOnlyDictionary<string, double> CacheHitRatio { get; init; } = new Dictionary<string, double>();

    /// <summary>The store and Redis as the child's own probe last found them (up, degraded, down, not_configured); empty when not sent.</summary>
    public string StoreHealth { get; init; } = string.Empty;

    public string RedisHealth { get; init; } = string.Empty;

    /// <summary>The change log position the parent's escrow copy has applied, as the child last read it; null before the first reading.</summary>
    public long? EscrowAppliedPosition { get; init; }
}
