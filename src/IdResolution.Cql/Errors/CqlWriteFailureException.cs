namespace IdResolution.Cql.Errors;

/// <summary>Write_failure 0x1500, v4 layout (a failure count; v5 sends a reason map instead).</summary>
public sealed class CqlWriteFailureException : CqlServerException
{
    public CqlWriteFailureException(string message, CqlConsistency consistency, int received, int blockFor, int failures, string writeType)
        : base(CqlErrorCode.WriteFailure, message)
    {
        Consistency = consistency;
        Received = received;
        BlockFor = blockFor;
        Failures = failures;
        WriteType = writeType;
    }

    public CqlConsistency Consistency { get; }

    public int Received { get; }

    public int BlockFor { get; }

    public int Failures { get; }

    public string WriteType { get; }
}
