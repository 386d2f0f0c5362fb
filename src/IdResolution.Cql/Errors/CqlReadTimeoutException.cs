namespace IdResolution.Cql.Errors;

/// <summary>Read_timeout 0x1200.</summary>
public sealed class CqlReadTimeoutException : CqlServerException
{
    public CqlReadTimeoutException(string message, CqlConsistency consistency, int received, int blockFor, bool dataPresent)
        : base(CqlErrorCode.ReadTimeout, message)
    {
        Consistency = consistency;
        Received = received;
        BlockFor = blockFor;
        DataPresent = dataPresent;
    }

    public CqlConsistency Consistency { get; }

    public int Received { get; }

    public int BlockFor { get; }

    /// <summary>Whether the replica asked for the data (not just a digest) answered.</summary>
    public bool DataPresent { get; }
}
