namespace IdResolution.Cql.Protocol;

internal enum CqlValueKind
{
    Bytes,
    Null,
    NotSet,
}
