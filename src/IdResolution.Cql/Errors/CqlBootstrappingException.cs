namespace IdResolution.Cql.Errors;

/// <summary>Is_bootstrapping 0x1002: the coordinator cannot serve reads yet; another host may take it.</summary>
public sealed class CqlBootstrappingException : CqlServerException
{
    public CqlBootstrappingException()
        : this(string.Empty)
    {
    }

    public CqlBootstrappingException(string message)
        : base(CqlErrorCode.IsBootstrapping, message)
    {
    }

    public CqlBootstrappingException(string message, Exception innerException)
        : base(CqlErrorCode.IsBootstrapping, message, innerException)
    {
    }
}
