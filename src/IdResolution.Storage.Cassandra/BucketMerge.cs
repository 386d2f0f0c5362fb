namespace IdResolution.Storage.Cassandra;

/// <summary>
/// The keys of a prefix in key order, merged from its listing buckets (a k-way merge over per-bucket
/// pages). Each bucket is read in small pages and read again only when its page is used up, so a
/// listing page costs about one small read per bucket rather than a full page from each.
/// </summary>
/// <remarks>
/// Resuming needs no state beyond a key: every bucket is clustered by key, so "strictly after the
/// last key listed" restarts each bucket exactly where the merge left it.
/// </remarks>
internal sealed class BucketMerge
{
    private readonly IListingBucketReader _reader;
    private readonly string _prefix;
    private readonly int _buckets;
    private readonly string _afterKey;
    private readonly int _fetchSize;
    private readonly PriorityQueue<Cursor, string> _queue = new(Utf8Order.Instance);
    private Cursor? _toRefill;
    private string? _last;
    private bool _started;

    public BucketMerge(IListingBucketReader reader, string prefix, int buckets, string? afterKey, int fetchSize)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(fetchSize, 1);
        _reader = reader;
        _prefix = prefix;
        _buckets = buckets;

        // '' sorts before every key, so one statement serves the first page too.
        _afterKey = afterKey ?? string.Empty;
        _fetchSize = fetchSize;
    }

    /// <summary>Rows read from buckets so far; what a listing costs the cluster.</summary>
    public int RowsRead { get; private set; }

    /// <summary>Bucket queries issued so far.</summary>
    public int Reads { get; private set; }

    /// <summary>
    /// Rows per bucket read for a page of <paramref name="limit"/> keys: twice a fair share, since
    /// hashing spreads keys evenly but not exactly, with a floor so small pages do not cost a read per key.
    /// </summary>
    public static int FetchSizeFor(int limit, int buckets)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        var share = ((long)limit + buckets - 1) / buckets;
        return (int)Math.Min(limit, Math.Max(8, 2 * share));
    }

    /// <summary>The next key, or null when every bucket is used up.</summary>
    public async ValueTask<string?> NextAsync(CancellationToken cancellationToken)
    {
        if (!_started)
        {
            await StartAsync(cancellationToken).ConfigureAwait(false);
            _started = true;
        }

        // Refilled only now, when another key is wanted: a page that stops at a bucket's last key saves the read.
        if (_toRefill is { } pending)
        {
            _toRefill = null;
            await FillAsync(pending, pending.Keys[^1], cancellationToken).ConfigureAwait(false);
        }

        while (_queue.TryDequeue(out var cursor, out var key))
        {
            if (++cursor.Index < cursor.Keys.Count)
            {
                _queue.Enqueue(cursor, cursor.Keys[cursor.Index]);
            }
            else if (!cursor.Exhausted)
            {
                _toRefill = cursor;
            }

            // A key in two buckets (a bucket count changed under live data) is still listed once.
            if (_last is not null && Utf8Order.Instance.Compare(key, _last) == 0)
            {
                if (_toRefill is { } again)
                {
                    _toRefill = null;
                    await FillAsync(again, again.Keys[^1], cancellationToken).ConfigureAwait(false);
                }

                continue;
            }

            _last = key;
            return key;
        }

        return null;
    }

    private async ValueTask StartAsync(CancellationToken cancellationToken)
    {
        // Every bucket at once: the reads are independent, and the client pipelines them on its connections.
        var cursors = new Cursor[_buckets];
        var reads = new Task[_buckets];
        for (var bucket = 0; bucket < _buckets; bucket++)
        {
            cursors[bucket] = new Cursor(bucket);
            reads[bucket] = FillAsync(cursors[bucket], _afterKey, cancellationToken).AsTask();
        }

        await Task.WhenAll(reads).ConfigureAwait(false);
    }

    private async ValueTask FillAsync(Cursor cursor, string after, CancellationToken cancellationToken)
    {
        var keys = await _reader.ReadBucketAsync(_prefix, cursor.Bucket, after, _fetchSize, cancellationToken).ConfigureAwait(false);
        Check(keys, after, cursor.Bucket);
        lock (_queue)
        {
            Reads++;
            RowsRead += keys.Count;
            cursor.Keys = keys;
            cursor.Index = 0;
            cursor.Exhausted = keys.Count < _fetchSize;
            if (keys.Count > 0)
            {
                _queue.Enqueue(cursor, keys[0]);
            }
        }
    }

    /// <summary>A reader out of key order would make the merge skip or repeat keys, or never end; refuse it.</summary>
    private void Check(IReadOnlyList<string> keys, string after, int bucket)
    {
        if (keys.Count > _fetchSize)
        {
            throw new InvalidOperationException($"Bucket {bucket} of '{_prefix}' returned {keys.Count} keys for a limit of {_fetchSize}.");
        }

        var previous = after;
        foreach (var key in keys)
        {
            if (Utf8Order.Instance.Compare(key, previous) <= 0)
            {
                throw new InvalidOperationException($"Bucket {bucket} of '{_prefix}' returned '{key}' after '{previous}', out of key order.");
            }

            previous = key;
        }
    }

    private sealed class Cursor(int bucket)
    {
        public int Bucket { get; } = bucket;

        public IReadOnlyList<string> Keys { get; set; } = [];

        public int Index { get; set; }

        public bool Exhausted { get; set; }
    }
}
