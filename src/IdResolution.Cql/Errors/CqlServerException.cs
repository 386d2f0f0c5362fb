namespace IdResolution.Cql.Errors;

/// <summary>
/// An ERROR response from the server (native_protocol_v4.spec §4.2.1, §9). Codes without a dedicated
/// subclass (unknown to this client) surface as this type itself.
/// </summary>
public class CqlServerException : Exception
{
    public CqlServerException()
    {
    }

    public CqlServerException(string message)
        : base(message)
    {
    }

    public CqlServerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CqlServerException(CqlErrorCode code, string message)
        : base(message)
    {
        Code = code;
    }

    public CqlServerException(CqlErrorCode code, string message, Exception? innerException)
        : base(message, innerException)
    {
        Code = code;
    }

    public CqlErrorCode Code { get; }
}
