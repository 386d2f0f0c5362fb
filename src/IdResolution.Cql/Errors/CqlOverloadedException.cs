namespace IdResolution.Cql.Errors;

/// <summary>Overloaded 0x1001: the coordinator refused the request; another host may take it.</summary>
public sealed class CqlOverloadedException : CqlServerException
{
    public CqlOverloadedException()
        : this(string.Empty)
    {
    }

    public CqlOverloadedException(string message)
        : base(CqlErrorCode.Overloaded, message)
    {
    }

    public CqlOverloadedException(string message, Exception innerException)
        : base(CqlErrorCode.Overloaded, message, innerException)
    {
    }
}
