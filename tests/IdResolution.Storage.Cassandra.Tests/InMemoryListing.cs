namespace IdResolution.Storage.Cassandra.Tests;

/// <summary>
/// The two tables a listing reads, in memory, answering as the driver-based store will: listing rows
/// per (prefix, bucket) in UTF-8 key order, and each key's display spelling when it has a record.
/// </summary>
internal sealed class InMemoryListing(int buckets) : IListingBucketReader, IHandleDisplayReader
{
    private readonly Dictionary<(string Prefix, int Bucket), SortedSet<string>> _rows = [];
    private readonly Dictionary<string, string> _records = new(StringComparer.Ordinal);

    public int Buckets { get; } = buckets;

    public int DisplayReads { get; private set; }

    /// <summary>A created handle: its listing row (as <see cref="WritePlanner"/> plans it) and its record.</summary>
    public void Create(string key, string? display = null)
    {
        AddListingRow(key);
        _records[key] = display ?? key;
    }

    /// <summary>A listing row whose record never landed, or was deleted.</summary>
    public void AddListingRow(string key)
    {
        var bucket = (ListingBucket.PrefixOf(key), ListingBucket.Of(key, Buckets));
        if (!_rows.TryGetValue(bucket, out var keys))
        {
            _rows[bucket] = keys = new SortedSet<string>(Utf8Order.Instance);
        }

        keys.Add(key);
    }

    public void DeleteRecord(string key) => _records.Remove(key);

    public int BucketsHolding(string prefix) => _rows.Keys.Count(k => k.Prefix == prefix && _rows[k].Count > 0);

    public ValueTask<IReadOnlyList<string>> ReadBucketAsync(string prefix, int bucket, string afterKey, int limit, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> keys = _rows.TryGetValue((prefix, bucket), out var rows)
            ? [.. rows.Where(k => Utf8Order.Instance.Compare(k, afterKey) > 0).Take(limit)]
            : [];
        return ValueTask.FromResult(keys);
    }

    public ValueTask<string?> ReadDisplayAsync(string key, CancellationToken cancellationToken)
    {
        DisplayReads++;
        return ValueTask.FromResult(_records.GetValueOrDefault(key));
    }
}
