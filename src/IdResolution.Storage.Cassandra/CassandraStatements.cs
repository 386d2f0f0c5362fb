namespace IdResolution.Storage.Cassandra;

/// <summary>
/// Every statement the store prepares. Table names are unqualified: the session is bound to
/// <see cref="CassandraStoreOptions.Keyspace"/> (USE on each connection), so one prepared id serves any keyspace name.
/// Markers are positional; the comment on each names the values in order.
/// </summary>
/// <remarks>
/// Partition discipline: <c>handles</c> and <c>node_leases</c> are written only by LWT statements, because a
/// plain write beside Paxos on one partition can be hidden by the Paxos timestamps. <c>handle_listing</c>,
/// <c>change_log</c> and <c>node_cursors</c> are written only by plain statements. A listing or log row cannot
/// share a batch with its record (a conditional batch holds one partition), so both are written before it.
/// </remarks>
internal static class CassandraStatements
{
    /// <summary>key → handle, version, record. At the configured consistency, or SERIAL to learn a conflict's outcome.</summary>
    public const string SelectRecord =
        "SELECT handle, version, record FROM " + CassandraSchema.HandlesTable + " WHERE key = ?";

    /// <summary>key → handle: confirms a listed key has a record and gives its current spelling without the record.</summary>
    public const string SelectDisplay =
        "SELECT handle FROM " + CassandraSchema.HandlesTable + " WHERE key = ?";

    /// <summary>
    /// after token, limit: the next records in token order, for a dump. A full scan, paged by the partition
    /// token (Murmur3: a 64-bit number per key, never <see cref="long.MinValue"/>, so that starts the scan).
    /// </summary>
    public const string SelectRecordsAfterToken =
        "SELECT key, record, token(key) AS t FROM " + CassandraSchema.HandlesTable + " WHERE token(key) > ? LIMIT ?";

    /// <summary>key, handle, version, record. When not applied the response carries the existing row.</summary>
    public const string InsertRecord =
        "INSERT INTO " + CassandraSchema.HandlesTable + " (key, handle, version, record) VALUES (?, ?, ?, ?) IF NOT EXISTS";

    /// <summary>handle, version, record, key, expected version. When not applied the response carries only <c>version</c>.</summary>
    public const string UpdateRecord =
        "UPDATE " + CassandraSchema.HandlesTable + " SET handle = ?, version = ?, record = ? WHERE key = ? IF version = ?";

    /// <summary>key, expected version. When not applied the response carries only <c>version</c>.</summary>
    public const string DeleteRecord =
        "DELETE FROM " + CassandraSchema.HandlesTable + " WHERE key = ? IF version = ?";

    /// <summary>prefix, bucket, key. Idempotent, so it is retried freely.</summary>
    public const string InsertListing =
        "INSERT INTO " + CassandraSchema.ListingTable + " (prefix, bucket, key) VALUES (?, ?, ?)";

    /// <summary>
    /// prefix, bucket, key. Only for a repair job that has proved the key has no record for longer than
    /// any create can take; the store itself never deletes listing rows (see <see cref="WritePlanner"/>).
    /// </summary>
    public const string DeleteListing =
        "DELETE FROM " + CassandraSchema.ListingTable + " WHERE prefix = ? AND bucket = ? AND key = ?";

    /// <summary>prefix, bucket, after key ('' from the start), limit: one bucket's next keys in key order.</summary>
    public const string SelectListingPage =
        "SELECT key FROM " + CassandraSchema.ListingTable + " WHERE prefix = ? AND bucket = ? AND key > ? LIMIT ?";

    /// <summary>name, value. Records a setting the data depends on the first time the store starts.</summary>
    public const string InsertSetting =
        "INSERT INTO " + CassandraSchema.SettingsTable + " (name, value) VALUES (?, ?) IF NOT EXISTS";

    /// <summary>
    /// name. Readiness: a read of one replicated row at the configured consistency, which Cassandra refuses
    /// (Unavailable) when too few replicas are alive. A read of <c>system.local</c> would pass with one node up.
    /// </summary>
    public const string Health =
        "SELECT value FROM " + CassandraSchema.SettingsTable + " WHERE name = ?";

    /// <summary>bucket, position, key, version, record (null for a deletion), TTL in seconds. Idempotent, so it is retried freely.</summary>
    public const string InsertChange =
        "INSERT INTO " + CassandraSchema.ChangeLogTable + " (bucket, position, key, version, record) VALUES (?, ?, ?, ?, ?) USING TTL ?";

    /// <summary>bucket, after position, up to position (inclusive), limit: one hour's rows in position order.</summary>
    public const string SelectChanges =
        "SELECT position, key, version, record FROM " + CassandraSchema.ChangeLogTable + " WHERE bucket = ? AND position > ? AND position <= ? LIMIT ?";

    /// <summary>bucket, up to position (inclusive): the newest row of one hour.</summary>
    public const string SelectLastChange =
        "SELECT position FROM " + CassandraSchema.ChangeLogTable + " WHERE bucket = ? AND position <= ? ORDER BY position DESC LIMIT 1";

    /// <summary>name → position.</summary>
    public const string SelectCursor =
        "SELECT position FROM " + CassandraSchema.CursorsTable + " WHERE name = ?";

    /// <summary>name, position.</summary>
    public const string UpsertCursor =
        "INSERT INTO " + CassandraSchema.CursorsTable + " (name, position) VALUES (?, ?)";

    /// <summary>name, owner, TTL in seconds. When not applied the response carries the holder.</summary>
    public const string InsertLease =
        "INSERT INTO " + CassandraSchema.LeasesTable + " (name, owner) VALUES (?, ?) IF NOT EXISTS USING TTL ?";

    /// <summary>TTL in seconds, owner, name, owner: extends the lease only for its holder.</summary>
    public const string RenewLease =
        "UPDATE " + CassandraSchema.LeasesTable + " USING TTL ? SET owner = ? WHERE name = ? IF owner = ?";

    /// <summary>name, owner: gives the lease up only for its holder.</summary>
    public const string DeleteLease =
        "DELETE FROM " + CassandraSchema.LeasesTable + " WHERE name = ? IF owner = ?";

    /// <summary>All statements prepared at start, so a bad statement fails the start and not a request.</summary>
    public static IReadOnlyList<string> Prepared { get; } =
    [
        SelectRecord, SelectDisplay, SelectRecordsAfterToken, InsertRecord, UpdateRecord, DeleteRecord,
        InsertListing, SelectListingPage, InsertSetting, Health,
        InsertChange, SelectChanges, SelectLastChange, SelectCursor, UpsertCursor,
        InsertLease, RenewLease, DeleteLease,
    ];
}
