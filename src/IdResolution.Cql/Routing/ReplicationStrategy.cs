using System.Globalization;

namespace IdResolution.Cql.Routing;

/// <summary>How a keyspace places the replicas of a token on the ring.</summary>
public abstract record ReplicationStrategy
{
    private protected ReplicationStrategy()
    {
    }

    /// <summary>
    /// The strategy of a keyspace's <c>replication</c> map from <c>system_schema.keyspaces</c>, or null
    /// for a strategy this client cannot place (LocalStrategy, EverywhereStrategy, a custom class), where
    /// routing falls back to any node.
    /// </summary>
    public static ReplicationStrategy? FromSchema(IReadOnlyDictionary<string, string> replication)
    {
        ArgumentNullException.ThrowIfNull(replication);
        if (!replication.TryGetValue("class", out var className))
        {
            return null;
        }

        var shortName = className[(className.LastIndexOf('.') + 1)..];
        if (shortName == "SimpleStrategy")
        {
            return replication.TryGetValue("replication_factor", out var factor) && TryParseFactor(factor, out var rf)
                ? new SimpleStrategy(rf)
                : null;
        }

        if (shortName == "NetworkTopologyStrategy")
        {
            var factors = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (key, value) in replication)
            {
                if (key == "class")
                {
                    continue;
                }

                if (!TryParseFactor(value, out var rf))
                {
                    return null;
                }

                factors[key] = rf;
            }

            return new NetworkTopologyStrategy(factors);
        }

        return null;
    }

    internal abstract List<CqlHostInfo> PlaceReplicas(TokenRing ring, int startIndex);

    // Cassandra 4.0 writes transient replication as "total/transient"; transient replicas still hold the
    // range, so the total is the count that matters for placement.
    private static bool TryParseFactor(string value, out int replicationFactor)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var total = slash < 0 ? value : value[..slash];
        return int.TryParse(total, NumberStyles.None, CultureInfo.InvariantCulture, out replicationFactor);
    }
}
