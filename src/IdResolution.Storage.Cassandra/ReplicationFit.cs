using System.Globalization;
using IdResolution.Cql.Cluster;
using IdResolution.Cql.Errors;

namespace IdResolution.Storage.Cassandra;

/// <summary>
/// Whether a keyspace's replication can ever meet the store's consistency with the nodes the cluster has:
/// replication 3 on a one-node cluster makes every LOCAL_QUORUM statement fail with Unavailable, forever.
/// That refuses the start, saying what to set; replication that works but without room for a node
/// down, or too few nodes up right now, is a warning.
/// </summary>
internal static class ReplicationFit
{
    public static (string? Refusal, IReadOnlyList<string> Warnings) Check(
        string keyspace,
        IReadOnlyDictionary<string, string> replication,
        IReadOnlyList<CqlNodeState> nodes,
        string localDataCenter,
        CqlConsistency consistency)
    {
        var factors = Factors(replication, localDataCenter);
        if (factors is null)
        {
            return (null, [$"Keyspace '{keyspace}' uses replication {Format(replication)}, which the store cannot check against the cluster's nodes."]);
        }

        var warnings = new List<string>();
        var dataCenters = consistency is CqlConsistency.LocalQuorum or CqlConsistency.LocalOne or CqlConsistency.LocalSerial
            ? [localDataCenter]
            : factors.Where(f => f.Value > 0).Select(f => f.Key).Append(localDataCenter).Distinct(StringComparer.Ordinal).ToList();
        foreach (var dataCenter in dataCenters)
        {
            var factor = factors.GetValueOrDefault(dataCenter);
            var members = nodes.Count(node => string.Equals(node.DataCenter, dataCenter, StringComparison.Ordinal));

            // Nodes of other data centres are not connected to; they count as up.
            var live = nodes.Count(node => string.Equals(node.DataCenter, dataCenter, StringComparison.Ordinal) && node.IsUp != false);
            var required = consistency.RequiredReplicas(factor);
            var level = consistency.ToCqlName();
            if (factor == 0)
            {
                return (Invariant($"Keyspace '{keyspace}' keeps no replicas in data centre '{dataCenter}' (replication {Format(replication)}), so no {level} statement can succeed from it. Add '{dataCenter}' to the keyspace's replication, or set Cassandra:LocalDataCenter to a data centre that has replicas."), warnings);
            }

            if (Math.Min(factor, members) < required)
            {
                return (Invariant($"Keyspace '{keyspace}' keeps {factor} replicas in data centre '{dataCenter}', which has {Nodes(members)}: {level} needs {required} replicas there, so no write or authoritative read can ever succeed. ")
                    + "For a one-node development cluster set Cassandra:ReplicationFactor=1 (IDRES__Cassandra__ReplicationFactor=1) before the keyspace is created, or change the existing one: "
                    + Invariant($"ALTER KEYSPACE {keyspace} WITH replication = {{'class': 'NetworkTopologyStrategy', '{dataCenter}': {Math.Max(members, 1)}}}; in production give '{dataCenter}' at least {factor} nodes."), warnings);
            }

            if (factor > members)
            {
                warnings.Add(Invariant($"Keyspace '{keyspace}' keeps {factor} replicas in data centre '{dataCenter}', which has only {Nodes(members)}: {level} works only while all of them are up."));
            }
            else if (live < required)
            {
                warnings.Add(Invariant($"Only {live} of the {Nodes(members)} of data centre '{dataCenter}' are up; {level} needs {required} of the {factor} replicas of keyspace '{keyspace}'. The node starts, but is not ready until enough nodes are back."));
            }
        }

        return (null, warnings);
    }

    /// <summary>Replicas per data centre, or null for a replication class the store cannot count.</summary>
    private static Dictionary<string, int>? Factors(IReadOnlyDictionary<string, string> replication, string localDataCenter)
    {
        var className = replication.GetValueOrDefault("class") ?? string.Empty;
        var shortName = className[(className.LastIndexOf('.') + 1)..];
        var factors = new Dictionary<string, int>(StringComparer.Ordinal);
        if (shortName == "SimpleStrategy")
        {
            // SimpleStrategy ignores data centres; for a LOCAL_ level its factor is what the local one holds.
            return int.TryParse(replication.GetValueOrDefault("replication_factor"), NumberStyles.None, CultureInfo.InvariantCulture, out var simple)
                ? new Dictionary<string, int>(StringComparer.Ordinal) { [localDataCenter] = simple }
                : null;
        }

        if (shortName != "NetworkTopologyStrategy")
        {
            return null;
        }

        foreach (var (key, value) in replication)
        {
            var total = value.Split('/')[0];
            if (key != "class" && int.TryParse(total, NumberStyles.None, CultureInfo.InvariantCulture, out var factor))
            {
                factors[key] = factor;
            }
        }

        return factors;
    }

    public static string Format(IReadOnlyDictionary<string, string> replication) =>
        "{" + string.Join(", ", replication.OrderBy(pair => pair.Key != "class").ThenBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => $"'{pair.Key}': '{(pair.Key == "class" ? pair.Value[(pair.Value.LastIndexOf('.') + 1)..] : pair.Value)}'")) + "}";

    private static string Nodes(int count) => count == 1 ? "1 node" : Invariant($"{count} nodes");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
