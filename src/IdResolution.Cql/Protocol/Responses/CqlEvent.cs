using System.Net;
using IdResolution.Cql.Errors;

namespace IdResolution.Cql.Protocol.Responses;

/// <summary>A server-pushed event, delivered on stream -1 (native_protocol_v4.spec §4.2.6).</summary>
internal abstract record CqlEvent
{
    public static CqlEvent Read(CqlBodyReader reader)
    {
        var type = reader.ReadString();
        return type switch
        {
            "TOPOLOGY_CHANGE" => new TopologyChangeEvent(reader.ReadString(), reader.ReadInet()),
            "STATUS_CHANGE" => new StatusChangeEvent(reader.ReadString(), reader.ReadInet()),
            "SCHEMA_CHANGE" => new SchemaChangeEvent(CqlSchemaChange.Read(reader)),
            _ => throw new CqlProtocolException($"Unknown event type '{type}'."),
        };
    }
}

/// <summary>NEW_NODE or REMOVED_NODE, with the node's native-protocol address.</summary>
internal sealed record TopologyChangeEvent(string Change, IPEndPoint Address) : CqlEvent;

/// <summary>UP or DOWN. Gossip sends UP before the node's native port may accept connections.</summary>
internal sealed record StatusChangeEvent(string Change, IPEndPoint Address) : CqlEvent;

internal sealed record SchemaChangeEvent(CqlSchemaChange Change) : CqlEvent;
