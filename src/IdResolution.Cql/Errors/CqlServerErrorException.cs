namespace IdResolution.Cql.Errors;

/// <summary>Server error 0x0000: a server-side bug; the request may or may not have been applied.</summary>
public sealed class CqlServerErrorException : CqlServerException
{
    public CqlServerErrorException()
        : this(string.Empty)
    {
    }

    public CqlServerErrorException(string message)
        : base(CqlErrorCode.ServerError, message)
    {
    }

    public CqlServerErrorException(string message, Exception innerException)
        : base(CqlErrorCode.ServerError, message, innerException)
    {
    }
}
