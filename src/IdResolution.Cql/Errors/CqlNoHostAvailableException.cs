namespace IdResolution.Cql.Errors;

/// <summary>Every node a statement could go to was tried, or none was up; the last failure is the inner exception.</summary>
public sealed class CqlNoHostAvailableException : Exception
{
    public CqlNoHostAvailableException()
    {
    }

    public CqlNoHostAvailableException(string message)
        : base(message)
    {
    }

    public CqlNoHostAvailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
