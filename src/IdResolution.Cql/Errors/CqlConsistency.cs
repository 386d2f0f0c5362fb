namespace IdResolution.Cql.Errors;

/// <summary>A consistency level as carried by the protocol's [consistency] notation (native_protocol_v4.spec §3).</summary>
public enum CqlConsistency
{
    Any = 0x0000,
    One = 0x0001,
    Two = 0x0002,
    Three = 0x0003,
    Quorum = 0x0004,
    All = 0x0005,
    LocalQuorum = 0x0006,
    EachQuorum = 0x0007,
    Serial = 0x0008,
    LocalSerial = 0x0009,
    LocalOne = 0x000A,
}
