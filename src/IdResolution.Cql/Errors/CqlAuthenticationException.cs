namespace IdResolution.Cql.Errors;

/// <summary>Authentication error 0x0100: the credentials were refused.</summary>
public sealed class CqlAuthenticationException : CqlServerException
{
    public CqlAuthenticationException()
        : this(string.Empty)
    {
    }

    public CqlAuthenticationException(string message)
        : base(CqlErrorCode.AuthenticationError, message)
    {
    }

    public CqlAuthenticationException(string message, Exception innerException)
        : base(CqlErrorCode.AuthenticationError, message, innerException)
    {
    }
}
