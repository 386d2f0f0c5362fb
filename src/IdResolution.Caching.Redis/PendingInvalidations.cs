using System.Collections.Concurrent;

namespace IdResolution.Caching.Redis;

/// <summary>
/// Keys whose invalidation could not reach Redis, to send when it returns: a Redis that was only
/// unreachable (not restarted) still holds the old records. Bounded, so an outage under heavy
/// writes cannot exhaust memory; what overflows is reported.
/// </summary>
internal sealed class PendingInvalidations(int limit)
{
    private readonly ConcurrentDictionary<string, byte> _keys = new(StringComparer.Ordinal);
    private int _overflowed;

    public int Count => _keys.Count;

    /// <summary>Adds keys; false when some were dropped because the set is full (reported once per outage).</summary>
    public bool Add(IEnumerable<string> keys)
    {
        var kept = true;
        foreach (var key in keys)
        {
            if (_keys.Count >= limit)
            {
                kept = false;
                break;
            }

            _keys.TryAdd(key, 0);
        }

        return kept || Interlocked.Exchange(ref _overflowed, 1) == 1;
    }

    public List<string> Take(int count)
    {
        var taken = new List<string>(Math.Min(count, _keys.Count));
        foreach (var key in _keys.Keys)
        {
            if (taken.Count == count)
            {
                break;
            }

            if (_keys.TryRemove(key, out _))
            {
                taken.Add(key);
            }
        }

        if (_keys.IsEmpty)
        {
            Interlocked.Exchange(ref _overflowed, 0);
        }

        return taken;
    }
}
