namespace IdResolution.Cql.Protocol;

/// <summary>A bound [value]: bytes, null (-1) or not set (-2, leave the column unchanged) (native_protocol_v4.spec §3).</summary>
internal readonly record struct CqlValue
{
    private CqlValue(CqlValueKind kind, ReadOnlyMemory<byte> bytes)
    {
        Kind = kind;
        Bytes = bytes;
    }

    public static CqlValue Null { get; } = new(CqlValueKind.Null, default);

    public static CqlValue NotSet { get; } = new(CqlValueKind.NotSet, default);

    public CqlValueKind Kind { get; }

    public ReadOnlyMemory<byte> Bytes { get; }

    public static CqlValue Of(ReadOnlyMemory<byte> bytes) => new(CqlValueKind.Bytes, bytes);
}
