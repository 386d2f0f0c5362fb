namespace IdResolution.Storage.Cassandra;

/// <summary>
/// Reads one listing bucket: the one query a listing needs per bucket
/// (<see cref="CassandraStatements.SelectListingPage"/>). The driver-based store implements it; tests fake it.
/// </summary>
internal interface IListingBucketReader
{
    /// <summary>
    /// At most <paramref name="limit"/> keys of partition (<paramref name="prefix"/>, <paramref name="bucket"/>)
    /// strictly after <paramref name="afterKey"/>, in UTF-8 byte order (the table's clustering order).
    /// </summary>
    ValueTask<IReadOnlyList<string>> ReadBucketAsync(string prefix, int bucket, string afterKey, int limit, CancellationToken cancellationToken);
}
