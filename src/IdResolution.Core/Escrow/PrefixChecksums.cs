namespace IdResolution.Core.Escrow;

/// <summary>
/// Adds records up, prefix by prefix, into counts and <see cref="RecordChecksum"/> sums: fed with the
/// records of a store or of an escrow copy, in any order, it gives the figures the two are compared by.
/// </summary>
public sealed class PrefixChecksums
{
    private readonly Dictionary<string, (long Count, ulong Sum)> _prefixes = new(StringComparer.Ordinal);

    public void Add(string key, long version)
    {
        var prefix = RecordChecksum.PrefixOf(key);
        var (count, sum) = _prefixes.GetValueOrDefault(prefix);
        _prefixes[prefix] = (count + 1, unchecked(sum + RecordChecksum.Of(key, version)));
    }

    /// <summary>Every prefix seen, in ordinal order of the prefix.</summary>
    public IReadOnlyList<PrefixChecksum> ToList() =>
        [.. _prefixes.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new PrefixChecksum(p.Key, p.Value.Count, p.Value.Sum))];
}
