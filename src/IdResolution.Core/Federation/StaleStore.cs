using System.Collections.Concurrent;

namespace IdResolution.Core.Federation;

/// <summary>
/// The last good answer per key, kept past its expiry for at most a maximum stale time (RFC 8767), so a
/// node can still answer while the node that holds the answer cannot be reached. Bounded: beyond its
/// capacity the entries that expired longest ago go first. The cache tiers cannot do this: they drop
/// what has expired.
/// </summary>
public sealed class StaleStore<T>
    where T : class
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly int _capacity;
    private readonly TimeSpan _maxStale;
    private readonly TimeProvider _time;
    private int _trimming;

    public StaleStore(int capacity, TimeSpan maxStale, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentNullException.ThrowIfNull(time);
        _capacity = capacity;
        _maxStale = maxStale;
        _time = time;
    }

    public int Count => _entries.Count;

    /// <summary>Keeps <paramref name="value"/> as the last good answer for <paramref name="key"/>, fresh until <paramref name="expiresAt"/>.</summary>
    public void Put(string key, T value, DateTimeOffset expiresAt)
    {
        _entries[key] = new Entry(value, expiresAt);
        if (_entries.Count > _capacity)
        {
            Trim();
        }
    }

    /// <summary>The answer kept for <paramref name="key"/> while it is fresh or at most the maximum stale time past its expiry.</summary>
    public bool TryGet(string key, out T value, out bool expired)
    {
        value = null!;
        expired = false;
        if (!_entries.TryGetValue(key, out var entry))
        {
            return false;
        }

        var now = _time.GetUtcNow();
        if (now >= entry.ExpiresAt + _maxStale)
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            return false;
        }

        value = entry.Value;
        expired = now >= entry.ExpiresAt;
        return true;
    }

    public void Remove(string key) => _entries.TryRemove(key, out _);

    /// <summary>Drops a tenth beyond the capacity, those that expired first; one trimmer at a time, the others carry on.</summary>
    private void Trim()
    {
        if (Interlocked.Exchange(ref _trimming, 1) != 0)
        {
            return;
        }

        try
        {
            var excess = _entries.Count - _capacity + (_capacity / 10);
            foreach (var (key, entry) in _entries.ToArray().OrderBy(pair => pair.Value.ExpiresAt).Take(Math.Max(excess, 0)))
            {
                _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            }
        }
        finally
        {
            Volatile.Write(ref _trimming, 0);
        }
    }

    private sealed record Entry(T Value, DateTimeOffset ExpiresAt);
}
