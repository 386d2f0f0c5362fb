namespace IdResolution.Storage.Cassandra;

/// <summary>
/// A conditional write was sent but its answer was lost (a write timeout of type CAS, a connection
/// closed mid-request): it may or may not have been applied.
/// </summary>
internal sealed class CasOutcomeUnknownException : Exception
{
    public CasOutcomeUnknownException()
    {
    }

    public CasOutcomeUnknownException(string message)
        : base(message)
    {
    }

    public CasOutcomeUnknownException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
