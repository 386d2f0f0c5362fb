namespace IdResolution.Cql.Cluster;

/// <summary>What every pool of a session shares: its size, back-off, clock, and where it reports.</summary>
internal sealed record HostPoolSettings(
    int Size,
    ReconnectBackoff Backoff,
    TimeSpan StillDownWarningInterval,
    TimeProvider Time,
    Microsoft.Extensions.Logging.ILogger Logger,
    CqlMetrics Metrics);
