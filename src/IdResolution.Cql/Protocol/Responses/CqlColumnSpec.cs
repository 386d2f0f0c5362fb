namespace IdResolution.Cql.Protocol.Responses;

/// <summary>A column (or bind marker) of result or prepared metadata.</summary>
internal sealed record CqlColumnSpec(string Keyspace, string Table, string Name, CqlColumnType Type);
