namespace IdResolution.Cql.Protocol;

/// <summary>Frame header flags (native_protocol_v4.spec §2.2; Beta is v5).</summary>
[Flags]
internal enum CqlFrameFlags : byte
{
    None = 0x00,
    Compression = 0x01,
    Tracing = 0x02,
    CustomPayload = 0x04,
    Warning = 0x08,
    Beta = 0x10,
}
