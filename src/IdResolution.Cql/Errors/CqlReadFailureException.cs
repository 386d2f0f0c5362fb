namespace IdResolution.Cql.Errors;

/// <summary>Read_failure 0x1300, v4 layout (a failure count; v5 sends a reason map instead).</summary>
public sealed class CqlReadFailureException : CqlServerException
{
    public CqlReadFailureException(string message, CqlConsistency consistency, int received, int blockFor, int failures, bool dataPresent)
        : base(CqlErrorCode.ReadFailure, message)
    {
        Consistency = consistency;
        Received = received;
        BlockFor = blockFor;
        Failures = failures;
        DataPresent = dataPresent;
    }

    public CqlConsistency Consistency { get; }

    public int Received { get; }

    public int BlockFor { get; }

    public int Failures { get; }

    public bool DataPresent { get; }
}
