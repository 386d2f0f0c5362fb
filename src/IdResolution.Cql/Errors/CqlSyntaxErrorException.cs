namespace IdResolution.Cql.Errors;

/// <summary>Syntax_error 0x2000.</summary>
public sealed class CqlSyntaxErrorException : CqlServerException
{
    public CqlSyntaxErrorException()
        : this(string.Empty)
    {
    }

    public CqlSyntaxErrorException(string message)
        : base(CqlErrorCode.SyntaxError, message)
    {
    }

    public CqlSyntaxErrorException(string message, Exception innerException)
        : base(CqlErrorCode.SyntaxError, message, innerException)
    {
    }
}
