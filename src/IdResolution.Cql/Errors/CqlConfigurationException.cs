namespace IdResolution.Cql.Errors;

/// <summary>Config_error 0x2300.</summary>
public sealed class CqlConfigurationException : CqlServerException
{
    public CqlConfigurationException()
        : this(string.Empty)
    {
    }

    public CqlConfigurationException(string message)
        : base(CqlErrorCode.ConfigError, message)
    {
    }

    public CqlConfigurationException(string message, Exception innerException)
        : base(CqlErrorCode.ConfigError, message, innerException)
    {
    }
}
