namespace IdResolution.Cql.Protocol.Responses;

/// <summary>
/// A column type as a tree. <see cref="Arguments"/> holds the element type of a list or set, key then
/// value of a map, the components of a tuple, or the field types of a UDT (named by <see cref="FieldNames"/>).
/// </summary>
internal sealed record CqlColumnType(
    CqlColumnTypeCode Code,
    IReadOnlyList<CqlColumnType> Arguments,
    string? CustomClassName = null,
    string? UdtKeyspace = null,
    string? UdtName = null,
    IReadOnlyList<string>? FieldNames = null)
{
    public static CqlColumnType Native(CqlColumnTypeCode code) => new(code, []);
}
