namespace IdResolution.Storage.Cassandra.Tests.Live;

/// <summary>
/// Every test class against the real Cassandra: one at a time, because each creates and drops keyspaces,
/// and schema changes racing each other on a three-node cluster outrun schema agreement.
/// </summary>
[CollectionDefinition(Name)]
public sealed class LiveCassandraCollection
{
    public const string Name = "a real Cassandra, one schema change at a time";
}
