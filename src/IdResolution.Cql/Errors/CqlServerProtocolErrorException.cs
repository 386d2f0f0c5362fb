namespace IdResolution.Cql.Errors;

/// <summary>Protocol error 0x000A: the server rejected a message of ours, including an unsupported protocol version during negotiation.</summary>
public sealed class CqlServerProtocolErrorException : CqlServerException
{
    public CqlServerProtocolErrorException()
        : this(string.Empty)
    {
    }

    public CqlServerProtocolErrorException(string message)
        : base(CqlErrorCode.ProtocolError, message)
    {
    }

    public CqlServerProtocolErrorException(string message, Exception innerException)
        : base(CqlErrorCode.ProtocolError, message, innerException)
    {
    }
}
