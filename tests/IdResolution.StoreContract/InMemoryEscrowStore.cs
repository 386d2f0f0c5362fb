using System.Collections.Concurrent;
using IdResolution.Core.Escrow;
using IdResolution.Core.Records;
using IdResolution.Core.Storage;

namespace IdResolution.StoreContract;

/// <summary>
/// A stand-in for the parent's escrow store (the RocksDB one is built on another branch and wired by the host
/// there): one <see cref="FeedReplica"/> per child, so entries apply by (key, version) as the port requires.
/// Tests of the takeover seed it through <see cref="ApplyChangesAsync"/>, as the puller would.
/// </summary>
public sealed class InMemoryEscrowStore : IEscrowStore
{
    private readonly ConcurrentDictionary<string, Copy> _copies = new(StringComparer.OrdinalIgnoreCase);

    public ValueTask<EscrowPosition> PositionAsync(string nodeId, CancellationToken cancellationToken)
    {
        var copy = CopyOf(nodeId);
        lock (copy)
        {
            return ValueTask.FromResult(new EscrowPosition(copy.Applied, copy.DumpOpen, copy.AppliedAt));
        }
    }

    public ValueTask ApplyChangesAsync(string nodeId, IReadOnlyList<ChangeEntry> changes, long appliedThrough, CancellationToken cancellationToken)
    {
        var copy = CopyOf(nodeId);
        lock (copy)
        {
            copy.Replica.Apply(changes);
            copy.Applied = appliedThrough;
            copy.AppliedAt = DateTimeOffset.UtcNow;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask BeginDumpAsync(string nodeId, CancellationToken cancellationToken)
    {
        var copy = CopyOf(nodeId);
        lock (copy)
        {
            copy.Replica = new FeedReplica();
            copy.DumpOpen = true;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask ApplyDumpAsync(string nodeId, IReadOnlyList<DumpEntry> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        var copy = CopyOf(nodeId);
        lock (copy)
        {
            copy.Replica.Apply(records.Select(r => new ChangeEntry(0, r.Key, r.Record, r.Record.Version, DateTimeOffset.UtcNow)));
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask EndDumpAsync(string nodeId, long position, CancellationToken cancellationToken)
    {
        var copy = CopyOf(nodeId);
        lock (copy)
        {
            copy.DumpOpen = false;
            copy.Applied = position;
            copy.AppliedAt = DateTimeOffset.UtcNow;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<HandleRecord?> GetAsync(string nodeId, string key, CancellationToken cancellationToken)
    {
        if (!_copies.TryGetValue(nodeId, out var copy))
        {
            return ValueTask.FromResult<HandleRecord?>(null);
        }

        lock (copy)
        {
            return ValueTask.FromResult(copy.Replica.Get(key));
        }
    }

    /// <summary>Not needed by the takeover; the real store's tests cover the checksums.</summary>
    public ValueTask<long> CountAsync(string nodeId, CancellationToken cancellationToken)
    {
        var copy = CopyOf(nodeId);
        lock (copy)
        {
            return ValueTask.FromResult((long)copy.Replica.Keys.Count());
        }
    }

    public ValueTask<IReadOnlyList<PrefixChecksum>> SummarizeAsync(string nodeId, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the in-memory escrow stand-in keeps no checksums");

    public ValueTask<IReadOnlyList<string>> NodesAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<string>>([.. _copies.Keys.Order(StringComparer.Ordinal)]);

    private Copy CopyOf(string nodeId) => _copies.GetOrAdd(nodeId, _ => new Copy());

    private sealed class Copy
    {
        public FeedReplica Replica { get; set; } = new();

        public long Applied { get; set; }

        public bool DumpOpen { get; set; }

        public DateTimeOffset? AppliedAt { get; set; }
    }
}
