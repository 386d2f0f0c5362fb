using IdResolution.Core.Storage;

namespace IdResolution.Storage.Cassandra;

/// <summary>
/// One page of a prefix listing: keys from the bucket merge, each confirmed against <c>handles</c>.
/// </summary>
/// <remarks>
/// A listing row can exist without its record: a create writes it first and may then lose its
/// conditional insert or crash, and deletes leave theirs (see <see cref="WritePlanner"/>). The record's
/// row is the only truth, and it holds the current display spelling, which a listing must show
/// anyway; so every listed key is read there, keys without a record are skipped, and the page is
/// filled from further keys. One key past the page is confirmed too, so the last page says it is last.
/// </remarks>
internal static class ListingPager
{
    public static async ValueTask<HandlePage> ListAsync(
        IListingBucketReader buckets,
        IHandleDisplayReader displays,
        string prefixKey,
        string? afterKey,
        int limit,
        int bucketCount,
        int readConcurrency,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(displays);
        ArgumentException.ThrowIfNullOrEmpty(prefixKey);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(readConcurrency);
        var merge = new BucketMerge(buckets, prefixKey, bucketCount, afterKey, BucketMerge.FetchSizeFor(limit, bucketCount));
        // One past the page, to learn whether another page follows; long, as a limit may be int.MaxValue.
        var target = (long)limit + 1;
        var found = new List<ListedHandle>((int)Math.Min(target, 1024));
        var candidates = new List<string>(readConcurrency);
        var reads = new List<Task<string?>>(readConcurrency);
        while (found.Count < target)
        {
            candidates.Clear();
            var wanted = (int)Math.Min(readConcurrency, target - found.Count);
            while (candidates.Count < wanted && await merge.NextAsync(cancellationToken).ConfigureAwait(false) is { } key)
            {
                candidates.Add(key);
            }

            if (candidates.Count == 0)
            {
                break;
            }

            reads.Clear();
            foreach (var key in candidates)
            {
                reads.Add(displays.ReadDisplayAsync(key, cancellationToken).AsTask());
            }

            var spellings = await Task.WhenAll(reads).ConfigureAwait(false);
            for (var i = 0; i < candidates.Count; i++)
            {
                if (spellings[i] is { } display)
                {
                    found.Add(new ListedHandle(candidates[i], display));
                }
            }
        }

        if (found.Count <= limit)
        {
            return new HandlePage(found, null);
        }

        found.RemoveAt(limit);
        return new HandlePage(found, found[^1].Key);
    }
}
