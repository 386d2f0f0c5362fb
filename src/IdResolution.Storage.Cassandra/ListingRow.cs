namespace IdResolution.Storage.Cassandra;

/// <summary>A listing row: partition (prefix, bucket), clustering key.</summary>
internal readonly record struct ListingRow(string Prefix, int Bucket, string Key)
{
    /// <summary>Values of <see cref="CassandraStatements.InsertListing"/>, in marker order.</summary>
    public object?[] Values() => [Prefix, Bucket, Key];
}
