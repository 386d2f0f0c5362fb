namespace IdResolution.Cql.Types;

// The members carry CQL's own type names (double, float, int), which read better here than .NET's.
#pragma warning disable CA1720

/// <summary>The option ids of protocol v4 §4.2.5.2 for the types this client encodes.</summary>
public enum CqlTypeCode : ushort
{
    Ascii = 0x0001,
    BigInt = 0x0002,
    Blob = 0x0003,
    Boolean = 0x0004,
    Counter = 0x0005,
    Double = 0x0007,
    Float = 0x0008,
    Int = 0x0009,
    Timestamp = 0x000B,
    Uuid = 0x000C,
    Varchar = 0x000D,
    TimeUuid = 0x000F,
    Inet = 0x0010,
    Date = 0x0011,
    Time = 0x0012,
    SmallInt = 0x0013,
    TinyInt = 0x0014,
    List = 0x0020,
    Map = 0x0021,
    Set = 0x0022,
}

#pragma warning restore CA1720
