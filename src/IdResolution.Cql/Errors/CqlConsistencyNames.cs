using System.Text;

namespace IdResolution.Cql.Errors;

/// <summary>Consistency levels as CQL and Cassandra's messages spell them (LOCAL_QUORUM), for messages meant for operators.</summary>
public static class CqlConsistencyNames
{
    public static string ToCqlName(this CqlConsistency consistency)
    {
        var name = consistency.ToString();
        var text = new StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToUpperInvariant(c));
        }

        return text.ToString();
    }

    /// <summary>Replicas that must answer at <paramref name="consistency"/> in a data centre holding <paramref name="replicationFactor"/>.</summary>
    public static int RequiredReplicas(this CqlConsistency consistency, int replicationFactor) => consistency switch
    {
        CqlConsistency.Any or CqlConsistency.One or CqlConsistency.LocalOne => Math.Min(1, replicationFactor),
        CqlConsistency.Two => 2,
        CqlConsistency.Three => 3,
        CqlConsistency.All => replicationFactor,
        _ => (replicationFactor / 2) + 1,
    };
}
