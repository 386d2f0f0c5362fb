namespace IdResolution.Cql.Types;

/// <summary>
/// A column type as the protocol describes it: a native code, or a collection with its element
/// (list, set) or key and value (map) types.
/// </summary>
public sealed record CqlType
{
    private CqlType(CqlTypeCode code, CqlType? element, CqlType? value)
    {
        Code = code;
        Element = element;
        Value = value;
    }

    public CqlTypeCode Code { get; }

    /// <summary>The element type of a list or set, the key type of a map; null for native types.</summary>
    public CqlType? Element { get; }

    /// <summary>The value type of a map; null otherwise.</summary>
    public CqlType? Value { get; }

    public bool IsCollection => Code is CqlTypeCode.List or CqlTypeCode.Set or CqlTypeCode.Map;

    public static CqlType Native(CqlTypeCode code) => code is CqlTypeCode.List or CqlTypeCode.Set or CqlTypeCode.Map
        ? throw new ArgumentException($"{code} needs its element types.", nameof(code))
        : new CqlType(code, null, null);

    public static CqlType ListOf(CqlType element) => new(CqlTypeCode.List, Checked(element), null);

    public static CqlType SetOf(CqlType element) => new(CqlTypeCode.Set, Checked(element), null);

    public static CqlType MapOf(CqlType key, CqlType value) => new(CqlTypeCode.Map, Checked(key), Checked(value));

    public override string ToString() => Code switch
    {
        CqlTypeCode.List => $"list<{Element}>",
        CqlTypeCode.Set => $"set<{Element}>",
        CqlTypeCode.Map => $"map<{Element}, {Value}>",
        _ => Code.ToString().ToLowerInvariant(),
    };

    private static CqlType Checked(CqlType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type;
    }
}
