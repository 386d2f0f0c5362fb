namespace IdResolution.Cql.Errors;

/// <summary>
/// CAS_WRITE_UNKNOWN 0x1700 (native_protocol_v5.spec §9): the outcome of a lightweight transaction is
/// unknown; resolve it with a SERIAL read, never a blind retry.
/// </summary>
public sealed class CqlCasWriteUnknownException : CqlServerException
{
    public CqlCasWriteUnknownException(string message, CqlConsistency consistency, int received, int blockFor)
        : base(CqlErrorCode.CasWriteUnknown, message)
    {
        Consistency = consistency;
        Received = received;
        BlockFor = blockFor;
    }

    public CqlConsistency Consistency { get; }

    public int Received { get; }

    public int BlockFor { get; }
}
