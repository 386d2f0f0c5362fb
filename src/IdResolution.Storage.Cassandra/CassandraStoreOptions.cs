namespace IdResolution.Storage.Cassandra;

/// <summary>
/// Settings of the Cassandra store (configuration section <c>Cassandra</c>, e.g.
/// <c>IDRES__Cassandra__ContactPoints=10.0.0.1,10.0.0.2</c>). Checked once at start by
/// <see cref="CassandraStoreOptionsValidation.Problems"/>, so a typo stops the node instead of a request.
/// </summary>
public sealed class CassandraStoreOptions
{
    public const string SectionName = "Cassandra";

    /// <summary>
    /// Comma-separated hosts (names or addresses, optionally <c>host:port</c>) the client first connects
    /// to; it learns the rest of the cluster from them. Name at least two so one node down does not stop a start.
    /// </summary>
    public string ContactPoints { get; set; } = "127.0.0.1";

    /// <summary>Native-protocol port of hosts named without one.</summary>
    public int Port { get; set; } = 9042;

    /// <summary>
    /// The data centre this node treats as local (as named by the cluster's snitch, e.g. the
    /// <c>dc</c> of <c>cassandra-rackdc.properties</c>). LOCAL_* consistency levels count replicas here
    /// only, and requests are routed to its hosts. Required: guessing it could send every read across a WAN.
    /// </summary>
    public string LocalDataCenter { get; set; } = string.Empty;

    /// <summary>User for PasswordAuthenticator; empty when the cluster runs without authentication.</summary>
    public string Username { get; set; } = string.Empty;

    /// <summary>Password of <see cref="Username"/>; give it through a secret (environment or file), never appsettings.</summary>
    public string Password { get; set; } = string.Empty;

    /// <summary>Encrypts client connections (the cluster's <c>client_encryption_options</c>). Needed whenever credentials cross a network.</summary>
    public bool Tls { get; set; }

    /// <summary>PEM file of the CA that signed the Cassandra nodes' certificates; empty trusts the system store.</summary>
    public string CaCertificatePath { get; set; } = string.Empty;

    /// <summary>PEM client certificate for clusters that require client authentication (<c>require_client_auth</c>); empty sends none.</summary>
    public string ClientCertificatePath { get; set; } = string.Empty;

    /// <summary>PEM private key of <see cref="ClientCertificatePath"/>.</summary>
    public string ClientKeyPath { get; set; } = string.Empty;

    /// <summary>Keyspace holding the store's tables. Letters, digits and underscores, at most 48, starting with a letter.</summary>
    public string Keyspace { get; set; } = "idresolution";

    /// <summary>
    /// Replicas per data centre, used only when the node creates the keyspace itself
    /// (<see cref="CreateSchema"/>), e.g. <c>IDRES__Cassandra__Replication__dc1=3</c>. Production uses
    /// NetworkTopologyStrategy with 3 per data centre so LOCAL_QUORUM survives one replica down.
    /// Empty falls back to <see cref="LocalDataCenter"/> with <see cref="ReplicationFactor"/>.
    /// </summary>
    public Dictionary<string, int> Replication { get; } = new(StringComparer.Ordinal);

    /// <summary>Replicas in <see cref="LocalDataCenter"/> when <see cref="Replication"/> is empty.</summary>
    public int ReplicationFactor { get; set; } = 3;

    /// <summary>
    /// Whether the node runs <c>CREATE … IF NOT EXISTS</c> for the keyspace and tables at start. Off by
    /// default: in production the store's role should not hold CREATE permission, and replication is a
    /// decision for operators, who apply <c>deploy/cassandra/schema.cql</c>. Turn it on for development,
    /// tests and single-cluster demos.
    /// </summary>
    public bool CreateSchema { get; set; }

    /// <summary>
    /// Consistency of reads and of the commit phase of writes. LOCAL_QUORUM pairs with LOCAL_SERIAL so
    /// a read sees every acknowledged write in this data centre.
    /// </summary>
    public string Consistency { get; set; } = "LOCAL_QUORUM";

    /// <summary>
    /// Consistency of the Paxos phase of conditional writes, and of the read that learns a conflict's
    /// current record: LOCAL_SERIAL (this data centre) or SERIAL (all data centres, slower, needed when
    /// several data centres write the same handles).
    /// </summary>
    public string SerialConsistency { get; set; } = "LOCAL_SERIAL";

    /// <summary>
    /// Partitions per prefix in the listing table. Fixed for the life of the data: a key's bucket is
    /// derived from this number, so changing it hides listed handles until the listing is rebuilt.
    /// 64 keeps a prefix of 500 million handles at about 8 million rows per partition; a listing page
    /// reads from every bucket, so do not raise it without need.
    /// </summary>
    public int ListingBuckets { get; set; } = 64;

    /// <summary>
    /// How long the schema step at start (<see cref="CreateSchema"/>) waits for every live node of the local
    /// data centre to report the same schema version after each statement; past it the start fails, naming
    /// the nodes and their versions.
    /// </summary>
    public int SchemaAgreementSeconds { get; set; } = 30;

    /// <summary>How long one request may take before it fails as unavailable (client side).</summary>
    public int RequestTimeoutMilliseconds { get; set; } = 12000;

    /// <summary>How long opening a connection, including TLS and authentication, may take.</summary>
    public int ConnectTimeoutMilliseconds { get; set; } = 5000;

    /// <summary>Connections kept to each host of the local data centre; each multiplexes many requests.</summary>
    public int ConnectionsPerHost { get; set; } = 2;

    /// <summary>Handles whose listing display spellings are read at once while a listing page is filled.</summary>
    public int ListingReadConcurrency { get; set; } = 32;

    /// <summary>
    /// Statements of one batch in flight at once: the reads of a multi-get (a resolve or write batch) and the
    /// per-handle writes of a write batch. Above the client's connections times their useful depth it only queues.
    /// </summary>
    public int BatchConcurrency { get; set; } = 64;

    /// <summary>The hosts of <see cref="ContactPoints"/>, trimmed, empty entries dropped.</summary>
    public IReadOnlyList<string> ContactPointList() =>
        ContactPoints.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Replicas per data centre for keyspace creation: <see cref="Replication"/>, or the local data centre's factor.</summary>
    public IReadOnlyDictionary<string, int> EffectiveReplication() =>
        Replication.Count > 0 || LocalDataCenter.Length == 0
            ? Replication
            : new Dictionary<string, int>(StringComparer.Ordinal) { [LocalDataCenter] = ReplicationFactor };
}
