namespace IdResolution.Cql.Errors;

/// <summary>CDC_WRITE_FAILURE 0x1600 (native_protocol_v5.spec §9): the CDC space of the coordinator is full.</summary>
public sealed class CqlCdcWriteFailureException : CqlServerException
{
    public CqlCdcWriteFailureException()
        : this(string.Empty)
    {
    }

    public CqlCdcWriteFailureException(string message)
        : base(CqlErrorCode.CdcWriteFailure, message)
    {
    }

    public CqlCdcWriteFailureException(string message, Exception innerException)
        : base(CqlErrorCode.CdcWriteFailure, message, innerException)
    {
    }
}
