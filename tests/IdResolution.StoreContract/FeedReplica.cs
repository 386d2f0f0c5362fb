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

    public int Applied { get; private set; }

    public void Apply(IEnumerable<ChangeEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            var known = _held.TryGetValue(entry.Key, out var held);
            var newer = !known || entry.Version > held.Version || (entry.Version == held.Version && (entry.IsDeletion || held.Record is not null));
            if (newer)
            {
                _held[entry.Key] = (entry.Version, entry.Record);
                Applied++;
            }
        }
    }

    /// <summary>The record the replica holds for <paramref name="key"/>, or null.</summary>
    public HandleRecord? Get(string key) => _held.TryGetValue(key, out var held) ? held.Record : null;

    public IEnumerable<string> Keys => _held.Where(pair => pair.Value.Record is not null).Select(pair => pair.Key);
}
