using System.Globalization;
using System.Text;

namespace IdResolution.Storage.Cassandra;

/// <summary>
/// The keyspace and tables of the store, as idempotent <c>CREATE … IF NOT EXISTS</c> statements. The
/// same statements, with a placeholder replication, are <c>deploy/cassandra/schema.cql</c>; a test
/// keeps the two equal.
/// </summary>
public static class CassandraSchema
{
    /// <summary>One partition per handle; every write to it is a lightweight transaction.</summary>
    public const string HandlesTable = "handles";

    /// <summary>Which keys exist under a prefix, bucketed; only plain writes, never deleted by the store.</summary>
    public const string ListingTable = "handle_listing";

    /// <summary>Facts the data depends on (the listing bucket count), written once with IF NOT EXISTS.</summary>
    public const string SettingsTable = "store_settings";

    /// <summary>
    /// The change log (<see cref="Core.Storage.IChangeFeed"/>): one row per attempted change, written before
    /// the record's lightweight transaction, partitioned by hour, expiring after the retention.
    /// </summary>
    public const string ChangeLogTable = "change_log";

    /// <summary>The node's cursors (<see cref="Core.Storage.INodeState"/>): plain writes, last writer wins.</summary>
    public const string CursorsTable = "node_cursors";

    /// <summary>The node's leases: written only by lightweight transactions, each row expiring with its lease.</summary>
    public const string LeasesTable = "node_leases";

    // {0} is the keyspace. Column order and spacing here are what schema.cql must match.
    private static readonly string[] TableTemplates =
    [
        // The record in RecordCodec form, with its version and display spelling beside it: the version
        // because LWT conditions compare columns, the spelling so listings need not decode records.
        // Leveled compaction: records are read far more than written and updated in place, and it keeps
        // a point read to about one SSTable.
        "CREATE TABLE IF NOT EXISTS {0}." + HandlesTable + " (key text PRIMARY KEY, handle text, version bigint, record blob) "
            + "WITH compaction = {{'class': 'LeveledCompactionStrategy'}};",

        // Clustered by the full canonical key, so `key > ?` resumes a page and UTF-8 byte order is key order.
        "CREATE TABLE IF NOT EXISTS {0}." + ListingTable + " (prefix text, bucket int, key text, PRIMARY KEY ((prefix, bucket), key)) "
            + "WITH CLUSTERING ORDER BY (key ASC);",

        "CREATE TABLE IF NOT EXISTS {0}." + SettingsTable + " (name text PRIMARY KEY, value text);",

        // bucket = the position's hour, so a reader scans one partition per hour and expired hours drop whole
        // (time-window compaction). key and version in the clustering key keep rows of two writers that
        // drew the same position apart. A null record is a deletion.
        "CREATE TABLE IF NOT EXISTS {0}." + ChangeLogTable + " (bucket bigint, position bigint, key text, version bigint, record blob, "
            + "PRIMARY KEY ((bucket), position, key, version)) WITH CLUSTERING ORDER BY (position ASC, key ASC, version ASC) "
            + "AND compaction = {{'class': 'TimeWindowCompactionStrategy', 'compaction_window_unit': 'HOURS', 'compaction_window_size': 6}};",

        "CREATE TABLE IF NOT EXISTS {0}." + CursorsTable + " (name text PRIMARY KEY, position bigint);",

        "CREATE TABLE IF NOT EXISTS {0}." + LeasesTable + " (name text PRIMARY KEY, owner text);",
    ];

    /// <summary>Every statement, keyspace first, for the options' keyspace and replication.</summary>
    public static IReadOnlyList<string> Statements(CassandraStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!CqlNames.IsValidKeyspace(options.Keyspace))
        {
            throw new ArgumentException($"'{options.Keyspace}' is not a keyspace name.", nameof(options));
        }

        var statements = new List<string>(TableTemplates.Length + 1) { Keyspace(options.Keyspace, options.EffectiveReplication()) };
        foreach (var template in TableTemplates)
        {
            statements.Add(string.Format(CultureInfo.InvariantCulture, template, options.Keyspace));
        }

        return statements;
    }

    /// <summary>NetworkTopologyStrategy always: SimpleStrategy ignores data centres and cannot grow into a second one.</summary>
    internal static string Keyspace(string keyspace, IReadOnlyDictionary<string, int> replication)
    {
        if (replication.Count == 0)
        {
            throw new ArgumentException("The keyspace needs at least one data centre with replicas.", nameof(replication));
        }

        var text = new StringBuilder("CREATE KEYSPACE IF NOT EXISTS ").Append(keyspace)
            .Append(" WITH replication = {'class': 'NetworkTopologyStrategy'");
        foreach (var (dataCenter, factor) in replication.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            text.Append(", ").Append(CqlNames.Literal(dataCenter)).Append(": ").Append(factor.ToString(CultureInfo.InvariantCulture));
        }

        return text.Append("} AND durable_writes = true;").ToString();
    }
}
