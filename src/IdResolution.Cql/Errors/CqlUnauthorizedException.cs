namespace IdResolution.Cql.Errors;

/// <summary>Unauthorized 0x2100: the logged-in user lacks a permission.</summary>
public sealed class CqlUnauthorizedException : CqlServerException
{
    public CqlUnauthorizedException()
        : this(string.Empty)
    {
    }

    public CqlUnauthorizedException(string message)
        : base(CqlErrorCode.Unauthorized, message)
    {
    }

    public CqlUnauthorizedException(string message, Exception innerException)
        : base(CqlErrorCode.Unauthorized, message, innerException)
    {
    }
}
