using IdResolution.Core.Records;
using IdResolution.Core.Storage;

namespace IdResolution.StoreContract;

/// <summary>
/// A consumer of a change log as the parent's escrow is meant to be: it applies entries by (handle,
/// version), so a repeated or older entry changes nothing, and a deletion of version V removes V and
/// anything older, keeping V so a late copy of V's record cannot bring it back.
/// </summary>
public sealed class FeedReplica
{
    private readonly Dictionary<string, (long Version, HandleRecord? Record)> _held = new(StringComparer.Ordinal);

    public void Apply(IEnumerable<ChangeEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            var known = _held.TryGetValue(entry.Key, out var held);
            if (!known || entry.Version > held.Version || (entry.Version == held.Version && (entry.IsDeletion || held.Record is not null)))
            {
                _held[entry.Key] = (entry.Version, entry.Record);
            }
        }
    }

    /// <summary>The record the replica holds for <paramref name="key"/>, or null.</summary>
    public HandleRecord? Get(string key) => _held.TryGetValue(key, out var held) ? held.Record : null;

    public IEnumerable<string> Keys => _held.Where(pair => pair.Value.Record is not null).Select(pair => pair.Key);

    /// <summary>Asserts the replica holds, for each of <paramref name="keys"/>, exactly what <paramref name="store"/> holds.</summary>
    public async Task AssertHoldsWhatAsync(IHandleStore store, IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var key in keys)
        {
            var stored = await store.GetAsync(key, cancellationToken);
            var held = Get(key);
            Assert.True(stored is null ? held is null : held is not null && RecordCodec.Encode(stored).AsSpan().SequenceEqual(RecordCodec.Encode(held)),
                $"the replica holds version {held?.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"} of {key}, the store {stored?.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}");
        }
    }

    /// <summary>Every entry after <paramref name="after"/>, page by page, until a page says the reader caught up.</summary>
    public static async Task<List<ChangeEntry>> ReadAllAsync(IChangeFeed feed, int pageSize, CancellationToken cancellationToken, long after = 0)
    {
        ArgumentNullException.ThrowIfNull(feed);
        var entries = new List<ChangeEntry>();
        while (true)
        {
            var page = await feed.ReadChangesAsync(after, pageSize, cancellationToken);
            Assert.False(page.Trimmed);
            entries.AddRange(page.Entries);
            if (page.Entries.Count == 0 && page.Next == after)
            {
                return entries;
            }

            after = page.Next;
        }
    }
}
