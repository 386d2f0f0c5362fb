using IdResolution.Core.Composition;

namespace IdResolution.Storage.Cassandra;

/// <summary>Checks <see cref="CassandraStoreOptions"/> before anything connects, naming every problem at once.</summary>
public static class CassandraStoreOptionsValidation
{
    /// <summary>The levels a read or a commit may use; ANY and ONE-style levels would let a read miss an acknowledged write.</summary>
    public static readonly IReadOnlyList<string> ConsistencyLevels = ["LOCAL_QUORUM", "QUORUM", "EACH_QUORUM", "ALL"];

    public static readonly IReadOnlyList<string> SerialConsistencyLevels = ["LOCAL_SERIAL", "SERIAL"];

    /// <summary>The timeouts' upper bound: an hour, far past any useful wait, so only a slip of the keyboard is refused.</summary>
    public const int MaxTimeoutMilliseconds = 3_600_000;

    /// <summary>
    /// The upper bound of connections per host and of concurrent reads or writes: far past what a node uses
    /// (2, 32 and 64 by default), low enough that a value with digits too many is refused instead of exhausting sockets.
    /// </summary>
    public const int MaxConcurrency = 4096;

    /// <summary>The problems as the node's other settings name them, one sentence each (key, value, what is allowed).</summary>
    public static IReadOnlyList<string> Problems(CassandraStoreOptions options)
    {
        var problems = new SettingProblems();
        Check(options, problems);
        return problems.Found;
    }

    public static void Check(CassandraStoreOptions options, SettingProblems problems)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(problems);
        problems.Check(options.ContactPointList().Count > 0, Key("ContactPoints"), options.ContactPoints, "one or more hosts (host or host:port), comma-separated");
        problems.Range(Key("Port"), options.Port, 1, 65535);
        problems.Required(Key("LocalDataCenter"), options.LocalDataCenter, "the name of the local data centre (LOCAL_* consistency and routing count replicas in it)");
        if (options.Username.Length > 0 != options.Password.Length > 0)
        {
            problems.AddSecret(Key("Password"), $"given together with {Key("Username")}, or both empty");
        }

        problems.Check(options.Tls || (options.CaCertificatePath.Length == 0 && options.ClientCertificatePath.Length == 0), Key("Tls"), options.Tls,
            $"true when {Key("CaCertificatePath")} or {Key("ClientCertificatePath")} is set");
        problems.Check(options.ClientCertificatePath.Length > 0 == options.ClientKeyPath.Length > 0, Key("ClientKeyPath"), options.ClientKeyPath,
            $"given together with {Key("ClientCertificatePath")}, or both empty");
        problems.Check(CqlNames.IsValidKeyspace(options.Keyspace), Key("Keyspace"), options.Keyspace, "a letter, then letters, digits or '_', at most 48 characters");
        if (options.CreateSchema)
        {
            var replication = options.EffectiveReplication();
            problems.Check(replication.Count > 0, Key("Replication"), "none",
                $"at least one data centre when {Key("CreateSchema")} is true (or {Key("LocalDataCenter")}, which then gets {Key("ReplicationFactor")})");
            foreach (var (dataCenter, factor) in replication)
            {
                problems.Check(factor >= 1 && !string.IsNullOrWhiteSpace(dataCenter), Key("Replication") + ":" + dataCenter, factor, "a data centre name with at least 1 replica");
            }
        }

        problems.Check(ConsistencyLevels.Contains(options.Consistency, StringComparer.Ordinal), Key("Consistency"), options.Consistency, string.Join(", ", ConsistencyLevels));
        problems.Check(SerialConsistencyLevels.Contains(options.SerialConsistency, StringComparer.Ordinal), Key("SerialConsistency"), options.SerialConsistency,
            string.Join(", ", SerialConsistencyLevels));
        problems.Range(Key("ListingBuckets"), options.ListingBuckets, 1, ListingBucket.MaxBuckets);
        problems.Range(Key("SchemaAgreementSeconds"), options.SchemaAgreementSeconds, 1, 600);
        problems.Range(Key("RequestTimeoutMilliseconds"), options.RequestTimeoutMilliseconds, 1, MaxTimeoutMilliseconds);
        problems.Range(Key("ConnectTimeoutMilliseconds"), options.ConnectTimeoutMilliseconds, 1, MaxTimeoutMilliseconds);
        problems.Range(Key("ConnectionsPerHost"), options.ConnectionsPerHost, 1, MaxConcurrency);
        problems.Range(Key("ListingReadConcurrency"), options.ListingReadConcurrency, 1, MaxConcurrency);
        problems.Range(Key("BatchConcurrency"), options.BatchConcurrency, 1, MaxConcurrency);
    }

    private static string Key(string name) => CassandraStoreOptions.SectionName + ":" + name;
}
