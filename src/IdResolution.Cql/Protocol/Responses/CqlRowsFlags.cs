namespace IdResolution.Cql.Protocol.Responses;

/// <summary>Rows metadata [int] flags (native_protocol_v4.spec §4.2.5.2; MetadataChanged is v5).</summary>
[Flags]
internal enum CqlRowsFlags
{
    None = 0x0000,
    GlobalTableSpec = 0x0001,
    HasMorePages = 0x0002,
    NoMetadata = 0x0004,
    MetadataChanged = 0x0008,
}
