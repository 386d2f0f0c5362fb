namespace IdResolution.Storage.Cassandra;

/// <summary>
/// A row of <c>change_log</c>: the write it announces (the record's bytes and version; a null record
/// deletes the version named), at its position. Whether that write committed is for the reader to confirm.
/// </summary>
internal sealed record ChangeRow(long Position, string Key, long Version, byte[]? Record)
{
    public long Bucket => ChangePositions.Bucket(Position);

    /// <summary>Values of <see cref="CassandraStatements.InsertChange"/> before the TTL, in marker order.</summary>
    public object?[] Values(int ttlSeconds) => [Bucket, Position, Key, Version, Record, ttlSeconds];
}
