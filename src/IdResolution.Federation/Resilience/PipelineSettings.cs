namespace IdResolution.Federation.Resilience;

/// <summary>The numbers every node's pipelines are built with (from <see cref="NodeLinkOptions"/>, checked at start).</summary>
internal sealed record PipelineSettings(
    TimeSpan AttemptTimeout,
    TimeSpan TotalTimeout,
    int MaxInFlightPerNode,
    double BreakerFailureRatio,
    int BreakerMinimumThroughput,
    TimeSpan BreakerSamplingDuration,
    TimeSpan BreakerBreakDuration,
    int MaxRetries,
    TimeSpan RetryDelay,
    TimeSpan HedgingDelay);
