using IdResolution.Cql.Errors;

namespace IdResolution.Cql.Protocol.Responses;

/// <summary>
/// &lt;change_type&gt;&lt;target&gt;&lt;options&gt; of a SCHEMA_CHANGE event or Schema_change result
/// (native_protocol_v4.spec §4.2.6). <see cref="Name"/> is null for a keyspace; <see cref="ArgumentTypes"/>
/// is filled for functions and aggregates only.
/// </summary>
internal sealed record CqlSchemaChange(
    string ChangeType,
    string Target,
    string Keyspace,
    string? Name,
    IReadOnlyList<string> ArgumentTypes)
{
    public static CqlSchemaChange Read(CqlBodyReader reader)
    {
        var changeType = reader.ReadString();
        var target = reader.ReadString();
        var keyspace = reader.ReadString();
        return target switch
        {
            "KEYSPACE" => new CqlSchemaChange(changeType, target, keyspace, null, []),
            "TABLE" or "TYPE" => new CqlSchemaChange(changeType, target, keyspace, reader.ReadString(), []),
            "FUNCTION" or "AGGREGATE" => new CqlSchemaChange(changeType, target, keyspace, reader.ReadString(), reader.ReadStringList()),

            // The options layout depends on the target, so an unknown one cannot be read past.
            _ => throw new CqlProtocolException($"Unknown schema change target '{target}'."),
        };
    }
}
