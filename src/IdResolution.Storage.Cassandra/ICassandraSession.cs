namespace IdResolution.Storage.Cassandra;

/// <summary>
/// What the store needs from a CQL session, one method per prepared statement, bound to the keyspace
/// and the configured consistency levels. The driver-based implementation is the only missing piece
/// of the store: it prepares <see cref="CassandraStatements.Prepared"/>, binds values in marker order,
/// and maps driver failures to <see cref="Core.Storage.StoreUnavailableException"/> or
/// <see cref="CasOutcomeUnknownException"/>.
/// </summary>
internal interface ICassandraSession : IListingBucketReader, IHandleDisplayReader, IAsyncDisposable
{
    /// <summary>
    /// <see cref="CassandraStatements.SelectRecord"/>: the <c>record</c> column, or null when there is no
    /// row. <paramref name="serial"/> reads at the serial consistency, which completes any Paxos round in flight.
    /// </summary>
    ValueTask<byte[]?> ReadRecordAsync(string key, bool serial, CancellationToken cancellationToken);

    /// <summary><see cref="CassandraStatements.SelectRecordsAfterToken"/>: up to <paramref name="limit"/> records after <paramref name="afterToken"/>, in token order.</summary>
    ValueTask<IReadOnlyList<TokenRow>> ReadRecordsAfterTokenAsync(long afterToken, int limit, CancellationToken cancellationToken);

    /// <summary><see cref="PlannedWrite.Statement"/> with <see cref="PlannedWrite.Values"/>; its <c>[applied]</c> row.</summary>
    ValueTask<LwtResponse> ExecuteConditionalAsync(PlannedWrite write, CancellationToken cancellationToken);

    /// <summary><see cref="CassandraStatements.InsertListing"/>.</summary>
    ValueTask InsertListingAsync(ListingRow row, CancellationToken cancellationToken);

    /// <summary><see cref="CassandraStatements.InsertSetting"/>: whether it applied, else the value stored before.</summary>
    ValueTask<(bool Applied, string? Stored)> InsertSettingAsync(string name, string value, CancellationToken cancellationToken);

    /// <summary><see cref="CassandraStatements.InsertChange"/>, expiring after <paramref name="ttlSeconds"/>.</summary>
    ValueTask InsertChangeAsync(ChangeRow row, int ttlSeconds, CancellationToken cancellationToken);

    /// <summary><see cref="CassandraStatements.SelectChanges"/>: rows of one bucket in (<paramref name="after"/>, <paramref name="upTo"/>], in position order.</summary>
    ValueTask<IReadOnlyList<ChangeRow>> ReadChangesAsync(long bucket, long after, long upTo, int limit, CancellationToken cancellationToken);

    /// <summary><see cref="CassandraStatements.SelectLastChange"/>: the newest position of one bucket up to <paramref name="upTo"/>, or null.</summary>
    ValueTask<long?> ReadLastChangeAsync(long bucket, long upTo, CancellationToken cancellationToken);

    /// <summary><see cref="CassandraStatements.SelectCursor"/>.</summary>
    ValueTask<long?> ReadCursorAsync(string name, CancellationToken cancellationToken);

    /// <summary><see cref="CassandraStatements.UpsertCursor"/>.</summary>
    ValueTask WriteCursorAsync(string name, long position, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="CassandraStatements.InsertLease"/>: whether it applied, else the holder. A lost answer is
    /// <see cref="CasOutcomeUnknownException"/>, as for every conditional write here.
    /// </summary>
    ValueTask<(bool Applied, string? Holder)> InsertLeaseAsync(string name, string owner, int ttlSeconds, CancellationToken cancellationToken);

    /// <summary><see cref="CassandraStatements.RenewLease"/>: whether it applied.</summary>
    ValueTask<bool> RenewLeaseAsync(string name, string owner, int ttlSeconds, CancellationToken cancellationToken);

    /// <summary><see cref="CassandraStatements.DeleteLease"/>.</summary>
    ValueTask ReleaseLeaseAsync(string name, string owner, CancellationToken cancellationToken);

    /// <summary>A schema statement (<see cref="CassandraSchema.Statements"/>), waiting for schema agreement.</summary>
    ValueTask ExecuteSchemaAsync(string statement, CancellationToken cancellationToken);

    /// <summary>Whether writes and authoritative reads can be served now, and why not (<see cref="CassandraStatements.Health"/>).</summary>
    ValueTask<CassandraReadiness> CheckReadinessAsync(CancellationToken cancellationToken);
}
