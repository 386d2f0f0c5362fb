using Microsoft.Extensions.Logging;

namespace IdResolution.Storage.Cassandra;

/// <summary>What the store tells an operator at start; stable event ids 530–539 (the CQL client uses 500–529).</summary>
internal static partial class CassandraLog
{
    public const string Category = "IdResolution.Storage.Cassandra";

    [LoggerMessage(EventId = 530, EventName = "ReplicationAtRisk", Level = LogLevel.Warning, Message = "{Warning}")]
    public static partial void ReplicationAtRisk(ILogger logger, string warning);

    [LoggerMessage(EventId = 531, EventName = "SchemaStatementApplied", Level = LogLevel.Information,
        Message = "Schema statement applied and agreed by {Nodes}: {Statement}")]
    public static partial void SchemaStatementApplied(ILogger logger, string nodes, string statement);

    [LoggerMessage(EventId = 532, EventName = "StoreOpened", Level = LogLevel.Information,
        Message = "Cassandra store open on keyspace {Keyspace} (replication {Replication}); nodes: {Nodes}")]
    public static partial void StoreOpened(ILogger logger, string keyspace, string replication, string nodes);
}
