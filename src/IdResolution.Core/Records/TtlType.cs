namespace IdResolution.Core.Records;

/// <summary>Whether a value's TTL is seconds from retrieval or an absolute Unix time (RFC 3651 errata).</summary>
public enum TtlType : byte
{
    Relative = 0,
    Absolute = 1,
}
