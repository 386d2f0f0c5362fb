namespace IdResolution.Cql.Protocol.Requests;

/// <summary>The [byte] flags of QUERY/EXECUTE parameters and BATCH (native_protocol_v4.spec §4.1.4, §4.1.7).</summary>
[Flags]
internal enum CqlQueryFlags : byte
{
    None = 0x00,
    Values = 0x01,
    SkipMetadata = 0x02,
    PageSize = 0x04,
    PagingState = 0x08,
    SerialConsistency = 0x10,
    DefaultTimestamp = 0x20,
    NamedValues = 0x40,
}
