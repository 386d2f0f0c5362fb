using System.Globalization;

namespace IdResolution.Storage.Cassandra;

/// <summary>Checks <see cref="CassandraStoreOptions"/> before anything connects, naming every problem at once.</summary>
public static class CassandraStoreOptionsValidation
{
    /// <summary>The levels a read or a commit may use; ANY and ONE-style levels would let a read miss an acknowledged write.</summary>
    public static readonly IReadOnlyList<string> ConsistencyLevels = ["LOCAL_QUORUM", "QUORUM", "EACH_QUORUM", "ALL"];

    public static readonly IReadOnlyList<string> SerialConsistencyLevels = ["LOCAL_SERIAL", "SERIAL"];

    public static IReadOnlyList<string> Problems(CassandraStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.ContactPointList().Count == 0)
        {
            problems.Add("Cassandra:ContactPoints names no host.");
        }

        if (options.Port is < 1 or > 65535)
        {
            problems.Add(Invariant($"Cassandra:Port {options.Port} is not a TCP port."));
        }

        if (string.IsNullOrWhiteSpace(options.LocalDataCenter))
        {
            problems.Add("Cassandra:LocalDataCenter is required: LOCAL_* consistency and routing count replicas in it.");
        }

        if (options.Username.Length > 0 != options.Password.Length > 0)
        {
            problems.Add("Cassandra:Username and Cassandra:Password are given together or not at all.");
        }

        if (!options.Tls && (options.CaCertificatePath.Length > 0 || options.ClientCertificatePath.Length > 0))
        {
            problems.Add("Cassandra certificate paths are set but Cassandra:Tls is off.");
        }

        if (options.ClientCertificatePath.Length > 0 != options.ClientKeyPath.Length > 0)
        {
            problems.Add("Cassandra:ClientCertificatePath and Cassandra:ClientKeyPath are given together or not at all.");
        }

        if (!CqlNames.IsValidKeyspace(options.Keyspace))
        {
            problems.Add($"Cassandra:Keyspace '{options.Keyspace}' is not a keyspace name (a letter, then letters, digits or '_', at most 48).");
        }

        if (options.CreateSchema)
        {
            var replication = options.EffectiveReplication();
            if (replication.Count == 0)
            {
                problems.Add("Cassandra:CreateSchema needs Cassandra:Replication or Cassandra:LocalDataCenter to create the keyspace.");
            }

            foreach (var (dataCenter, factor) in replication)
            {
                if (factor < 1 || string.IsNullOrWhiteSpace(dataCenter))
                {
                    problems.Add(Invariant($"Cassandra replication '{dataCenter}': {factor} is not a data centre with at least one replica."));
                }
            }
        }

        if (!ConsistencyLevels.Contains(options.Consistency, StringComparer.Ordinal))
        {
            problems.Add($"Cassandra:Consistency '{options.Consistency}' is not one of {string.Join(", ", ConsistencyLevels)}.");
        }

        if (!SerialConsistencyLevels.Contains(options.SerialConsistency, StringComparer.Ordinal))
        {
            problems.Add($"Cassandra:SerialConsistency '{options.SerialConsistency}' is not one of {string.Join(", ", SerialConsistencyLevels)}.");
        }

        if (options.ListingBuckets is < 1 or > ListingBucket.MaxBuckets)
        {
            problems.Add(Invariant($"Cassandra:ListingBuckets {options.ListingBuckets} is outside 1..{ListingBucket.MaxBuckets}."));
        }

        if (options.SchemaAgreementSeconds is < 1 or > 600)
        {
            problems.Add(Invariant($"Cassandra:SchemaAgreementSeconds {options.SchemaAgreementSeconds} is outside 1..600."));
        }

        Positive(problems, "RequestTimeoutMilliseconds", options.RequestTimeoutMilliseconds);
        Positive(problems, "ConnectTimeoutMilliseconds", options.ConnectTimeoutMilliseconds);
        Positive(problems, "ConnectionsPerHost", options.ConnectionsPerHost);
        Positive(problems, "ListingReadConcurrency", options.ListingReadConcurrency);
        Positive(problems, "BatchConcurrency", options.BatchConcurrency);
        return problems;
    }

    private static void Positive(List<string> problems, string name, int value)
    {
        if (value < 1)
        {
            problems.Add(Invariant($"Cassandra:{name} {value} must be at least 1."));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
