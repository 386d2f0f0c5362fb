namespace IdResolution.Cql.Errors;

/// <summary>Truncate_error 0x1003: a TRUNCATE failed.</summary>
public sealed class CqlTruncateException : CqlServerException
{
    public CqlTruncateException()
        : this(string.Empty)
    {
    }

    public CqlTruncateException(string message)
        : base(CqlErrorCode.TruncateError, message)
    {
    }

    public CqlTruncateException(string message, Exception innerException)
        : base(CqlErrorCode.TruncateError, message, innerException)
    {
    }
}
