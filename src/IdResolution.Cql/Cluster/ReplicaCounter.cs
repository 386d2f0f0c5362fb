using IdResolution.Cql.Errors;
using IdResolution.Cql.Routing;

namespace IdResolution.Cql.Cluster;

/// <summary>
/// Counts, for every token range, the replicas in the local data centre that the client holds
/// connections to, against what a consistency level needs there. Readiness at LOCAL_QUORUM means
/// every range, not merely most nodes: with six nodes and RF 3, two down nodes can share a range.
/// </summary>
internal static class ReplicaCounter
{
    public static CqlReplicaAvailability Count(
        TokenRing? ring,
        ReplicationStrategy? strategy,
        string localDataCenter,
        CqlConsistency consistency,
        IReadOnlyList<CqlNodeState> nodes)
    {
        var factor = strategy switch
        {
            NetworkTopologyStrategy nts => nts.ReplicationFactors.GetValueOrDefault(localDataCenter),
            SimpleStrategy simple => simple.ReplicationFactor,
            _ => -1,
        };
        var required = factor < 0 ? 0 : consistency.RequiredReplicas(factor);
        if (ring is null || ring.Count == 0 || strategy is null || factor < 0 || !Countable(consistency, strategy, localDataCenter, nodes))
        {
            return new CqlReplicaAvailability(null, consistency, localDataCenter, Math.Max(factor, 0), required, 0, nodes);
        }

        var up = nodes.Where(node => node.IsUp == true).Select(node => node.HostId).ToHashSet();
        var fewest = int.MaxValue;
        for (var i = 0; i < ring.Count && fewest > 0; i++)
        {
            var live = ring.GetReplicas(ring.TokenAt(i), strategy)
                .Count(replica => string.Equals(replica.DataCenter, localDataCenter, StringComparison.Ordinal) && up.Contains(replica.HostId));
            fewest = Math.Min(fewest, live);
        }

        fewest = fewest == int.MaxValue ? 0 : fewest;
        return new CqlReplicaAvailability(factor > 0 && fewest >= required, consistency, localDataCenter, factor, required, fewest, nodes);
    }

    /// <summary>LOCAL_ levels count the local data centre only; others are countable only when every replica is local.</summary>
    private static bool Countable(CqlConsistency consistency, ReplicationStrategy strategy, string localDataCenter, IReadOnlyList<CqlNodeState> nodes) =>
        consistency is CqlConsistency.LocalQuorum or CqlConsistency.LocalOne or CqlConsistency.LocalSerial
        || strategy switch
        {
            NetworkTopologyStrategy nts => nts.ReplicationFactors.All(f => f.Value == 0 || string.Equals(f.Key, localDataCenter, StringComparison.Ordinal)),
            _ => nodes.All(node => string.Equals(node.DataCenter, localDataCenter, StringComparison.Ordinal)),
        };
}
