namespace IdResolution.Cql.Protocol.Responses;

/// <summary>Result kinds of a RESULT message (native_protocol_v4.spec §4.2.5).</summary>
internal enum CqlResultKind
{
    Void = 0x0001,
    Rows = 0x0002,
    SetKeyspace = 0x0003,
    Prepared = 0x0004,
    SchemaChange = 0x0005,
}

/// <summary>RESULT Void (native_protocol_v4.spec §4.2.5.1).</summary>
internal sealed record VoidResult : CqlResponse;

/// <summary>RESULT Set_keyspace (native_protocol_v4.spec §4.2.5.3).</summary>
internal sealed record SetKeyspaceResult(string Keyspace) : CqlResponse;

/// <summary>RESULT Schema_change: the same body as a SCHEMA_CHANGE event (native_protocol_v4.spec §4.2.5.5).</summary>
internal sealed record SchemaChangeResult(CqlSchemaChange Change) : CqlResponse;
