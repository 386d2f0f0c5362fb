namespace IdResolution.Cql.Errors;

/// <summary>Already_exists 0x2400.</summary>
public sealed class CqlAlreadyExistsException : CqlServerException
{
    public CqlAlreadyExistsException(string message, string keyspace, string table)
        : base(CqlErrorCode.AlreadyExists, message)
    {
        Keyspace = keyspace;
        Table = table;
    }

    public string Keyspace { get; }

    /// <summary>Empty when the keyspace itself already existed (native_protocol_v4.spec §9).</summary>
    public string Table { get; }
}
