namespace IdResolution.Cql.Errors;

/// <summary>
/// Write_timeout 0x1100: the outcome of the write is unknown. A <see cref="WriteType"/> of "CAS" must be
/// resolved with a SERIAL read, never a blind retry. v4 layout: the v5 CAS contentions field is not read.
/// </summary>
public sealed class CqlWriteTimeoutException : CqlServerException
{
    public CqlWriteTimeoutException(string message, CqlConsistency consistency, int received, int blockFor, string writeType)
        : base(CqlErrorCode.WriteTimeout, message)
    {
        Consistency = consistency;
        Received = received;
        BlockFor = blockFor;
        WriteType = writeType;
    }

    public CqlConsistency Consistency { get; }

    public int Received { get; }

    public int BlockFor { get; }

    /// <summary>SIMPLE, BATCH, UNLOGGED_BATCH, COUNTER, BATCH_LOG, CAS, VIEW or CDC; kept as sent so new kinds survive.</summary>
    public string WriteType { get; }
}
