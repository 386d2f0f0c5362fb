using IdResolution.Cql.Errors;

namespace IdResolution.Cql.Execution;

/// <summary>Defaults for statements that do not set their own.</summary>
public sealed record CqlExecutionOptions
{
    public CqlConsistency Consistency { get; init; } = CqlConsistency.LocalQuorum;

    public CqlConsistency SerialConsistency { get; init; } = CqlConsistency.LocalSerial;

    /// <summary>Client-side bound on one request to one node; above the server's own timeouts, so that theirs answer first.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(12);

    public int PageSize { get; init; } = 5000;

    /// <summary>How many other nodes a failed statement is tried on, when that is safe.</summary>
    public int MaxRetries { get; init; } = 2;
}
