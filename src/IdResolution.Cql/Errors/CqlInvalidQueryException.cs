namespace IdResolution.Cql.Errors;

/// <summary>Invalid 0x2200: the query is syntactically correct but invalid.</summary>
public sealed class CqlInvalidQueryException : CqlServerException
{
    public CqlInvalidQueryException()
        : this(string.Empty)
    {
    }

    public CqlInvalidQueryException(string message)
        : base(CqlErrorCode.Invalid, message)
    {
    }

    public CqlInvalidQueryException(string message, Exception innerException)
        : base(CqlErrorCode.Invalid, message, innerException)
    {
    }
}
