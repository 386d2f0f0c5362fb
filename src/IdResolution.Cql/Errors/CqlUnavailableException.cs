namespace IdResolution.Cql.Errors;

/// <summary>Unavailable 0x1000: too few replicas were alive to even try the request, so nothing was applied.</summary>
public sealed class CqlUnavailableException : CqlServerException
{
    public CqlUnavailableException(string message, CqlConsistency consistency, int required, int alive)
        : base(CqlErrorCode.Unavailable, message)
    {
        Consistency = consistency;
        Required = required;
        Alive = alive;
    }

    public CqlConsistency Consistency { get; }

    /// <summary>Replicas that had to be alive to meet <see cref="Consistency"/>.</summary>
    public int Required { get; }

    /// <summary>Replicas known alive when the request was processed (less than <see cref="Required"/>).</summary>
    public int Alive { get; }
}
