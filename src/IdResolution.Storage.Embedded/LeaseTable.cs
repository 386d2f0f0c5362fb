namespace IdResolution.Storage.Embedded;

/// <summary>
/// The node's leases (<see cref="Core.Storage.INodeState"/>), in memory: RocksDB lets one process open
/// the directory, so every instance that could contend for a lease is this one, and a lease need not
/// outlive it. Owners and durations are still honoured, so tasks behave as over a shared store.
/// </summary>
internal sealed class LeaseTable(TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (string Owner, DateTimeOffset Until)> _held = new(StringComparer.Ordinal);

    public bool TryAcquire(string name, string owner, TimeSpan duration)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (_held.TryGetValue(name, out var lease) && lease.Until > now && !string.Equals(lease.Owner, owner, StringComparison.Ordinal))
            {
                return false;
            }

            _held[name] = (owner, now + duration);
            return true;
        }
    }

    public void Release(string name, string owner)
    {
        lock (_lock)
        {
            if (_held.TryGetValue(name, out var lease) && string.Equals(lease.Owner, owner, StringComparison.Ordinal))
            {
                _held.Remove(name);
            }
        }
    }
}
