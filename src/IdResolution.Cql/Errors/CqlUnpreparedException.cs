namespace IdResolution.Cql.Errors;

/// <summary>Unprepared 0x2500: the host does not know the prepared id; re-PREPARE on that host, then retry.</summary>
public sealed class CqlUnpreparedException : CqlServerException
{
    public CqlUnpreparedException(string message, ReadOnlyMemory<byte> id)
        : base(CqlErrorCode.Unprepared, message)
    {
        Id = id;
    }

    /// <summary>The prepared statement id the host did not recognise.</summary>
    public ReadOnlyMemory<byte> Id { get; }
}
