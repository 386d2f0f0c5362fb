using System.Collections.Concurrent;
using IdResolution.Core.Caching;
using IdResolution.Core.Records;

namespace IdResolution.Core.Tests.Support;

/// <summary>
/// A test double of the shared tier's contract, for the core's own logic (which calls it makes,
/// when); the Redis adapter's tests run the real thing against redis-server.
/// </summary>
internal sealed class InMemorySharedCache : ISharedRecordCache
{
    private readonly ConcurrentDictionary<string, CacheLookup> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<IReadOnlyList<string>> _invalidations = new();
    private Action<string?>? _handler;
    private int _gets;
    private int _adds;

    public TimeSpan FillWindow { get; set; } = TimeSpan.FromSeconds(1);

    public int Gets => Volatile.Read(ref _gets);

    public int Adds => Volatile.Read(ref _adds);

    public IReadOnlyList<IReadOnlyList<string>> Invalidations => [.. _invalidations];

    public bool Holds(string key) => _entries.ContainsKey(key);

    public void Put(string key, HandleRecord? record, TimeSpan ttl) => _entries[key] = new CacheLookup(true, record, ttl);

    /// <summary>What another instance's write looks like from here.</summary>
    public void Announce(string? key) => _handler?.Invoke(key);

    public ValueTask<CacheLookup> GetAsync(string key, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _gets);
        return ValueTask.FromResult(_entries.TryGetValue(key, out var entry) ? entry : CacheLookup.Miss);
    }

    public async ValueTask<CacheLookup[]> GetManyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var found = new CacheLookup[keys.Count];
        for (var i = 0; i < found.Length; i++)
        {
            found[i] = await GetAsync(keys[i], cancellationToken);
        }

        return found;
    }

    public ValueTask AddAsync(string key, HandleRecord? record, TimeSpan ttl, CancellationToken cancellationToken)
    {
        // Stored before counted: a test that waits for the count then finds the entry.
        _entries.TryAdd(key, new CacheLookup(true, record, ttl));
        Interlocked.Increment(ref _adds);
        return ValueTask.CompletedTask;
    }

    public ValueTask InvalidateAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        _invalidations.Enqueue([.. keys]);
        foreach (var key in keys)
        {
            _entries.TryRemove(key, out _);
        }

        return ValueTask.CompletedTask;
    }

    public IDisposable Subscribe(Action<string?> onInvalidated)
    {
        _handler = onInvalidated;
        return new Unsubscriber(this);
    }

    private sealed class Unsubscriber(InMemorySharedCache cache) : IDisposable
    {
        public void Dispose() => cache._handler = null;
    }
}
