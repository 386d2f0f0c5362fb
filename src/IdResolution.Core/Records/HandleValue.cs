namespace IdResolution.Core.Records;

/// <summary>One value of a handle record, the RFC 3651 tuple. Data is kept as the bytes the Handle protocol carries.</summary>
public sealed record HandleValue
{
    public const int DefaultTtlSeconds = 86400;

    public required int Index { get; init; }

    public required string Type { get; init; }

    public ReadOnlyMemory<byte> Data { get; init; }

    public TtlType TtlType { get; init; } = TtlType.Relative;

    /// <summary>Seconds for a relative TTL, Unix seconds for an absolute one.</summary>
    public long Ttl { get; init; } = DefaultTtlSeconds;

    /// <summary>When the value last changed, Unix seconds; set by the node on every write of the value.</summary>
    public long Timestamp { get; init; }

    public ValuePermissions Permissions { get; init; } = ValuePermissions.Default;

    public IReadOnlyList<ValueReference> References { get; init; } = [];

    /// <summary>Equal in everything a registrant controls; the node-set timestamp is ignored.</summary>
    public bool SameContent(HandleValue other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Index == other.Index
            && string.Equals(Type, other.Type, StringComparison.Ordinal)
            && Data.Span.SequenceEqual(other.Data.Span)
            && TtlType == other.TtlType
            && Ttl == other.Ttl
            && Permissions == other.Permissions
            && References.SequenceEqual(other.References);
    }

    public bool Equals(HandleValue? other) => other is not null && SameContent(other) && Timestamp == other.Timestamp;

    public override int GetHashCode() => HashCode.Combine(Index, Type, Data.Length, Ttl, Timestamp);

    /// <summary>Seconds a resolver may cache this value, at <paramref name="nowUnixSeconds"/>.</summary>
    public long CacheSeconds(long nowUnixSeconds) =>
        TtlType == TtlType.Absolute ? Math.Max(0, Ttl - nowUnixSeconds) : Math.Max(0, Ttl);
}
