using IdResolution.Cql.Errors;

namespace IdResolution.Cql.Cluster;

/// <summary>
/// Whether enough replicas of the session's keyspace are up, in the client's view, for statements at a
/// consistency level, on every token range. <see cref="Sufficient"/> is null when the client cannot tell
/// (no keyspace, a replication class it cannot place, or a level that counts other data centres, whose
/// nodes it does not connect to); then only asking the cluster tells.
/// </summary>
public sealed record CqlReplicaAvailability(
    bool? Sufficient,
    CqlConsistency Consistency,
    string DataCenter,
    int ReplicationFactor,
    int RequiredReplicas,
    int FewestReplicasUp,
    IReadOnlyList<CqlNodeState> Nodes)
{
    public string Describe() => Sufficient is null
        ? $"replicas not counted by the client at {Consistency.ToCqlName()}; nodes: {string.Join(", ", Nodes)}"
        : $"{Consistency.ToCqlName()} needs {RequiredReplicas} of {ReplicationFactor} replicas in {DataCenter}; "
          + $"the token range worst off has {FewestReplicasUp} up (nodes: {string.Join(", ", Nodes)})";
}
