namespace IdResolution.Cql.Errors;

/// <summary>
/// The bytes received do not form a valid message of the protocol (truncated, malformed or hostile input).
/// Distinct from <see cref="CqlServerProtocolErrorException"/>, which is the server complaining about us.
/// </summary>
public sealed class CqlProtocolException : Exception
{
    public CqlProtocolException()
    {
    }

    public CqlProtocolException(string message)
        : base(message)
    {
    }

    public CqlProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
