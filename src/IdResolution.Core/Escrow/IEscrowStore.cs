using IdResolution.Core.Records;
using IdResolution.Core.Storage;

namespace IdResolution.Core.Escrow;

/// <summary>
/// A parent's escrow: one copy of each admitted child's records (its change feed applied), kept apart from
/// the parent's own handles so that neither can overwrite the other. A child is named by its node id (its
/// prefix, e.g. <c>88.709</c>); records by their canonical key, as the child's store keys them. Every method
/// returns once what it wrote is durable: a position recorded as applied is never lost, so the puller
/// resumes after it and nothing between is skipped.
/// </summary>
public interface IEscrowStore
{
    /// <summary>Where the copy of <paramref name="nodeId"/> stands (nothing applied yet: position 0, no dump open).</summary>
    ValueTask<EscrowPosition> PositionAsync(string nodeId, CancellationToken cancellationToken);

    /// <summary>
    /// Applies change-log entries in one atomic write with the new applied position <paramref name="appliedThrough"/>.
    /// Idempotent by (key, version): an entry whose version is not newer than the copy's is skipped, so a
    /// replayed or duplicated entry changes nothing; a deletion removes the copy's record of that version or older.
    /// </summary>
    ValueTask ApplyChangesAsync(string nodeId, IReadOnlyList<ChangeEntry> changes, long appliedThrough, CancellationToken cancellationToken);

    /// <summary>Starts a dump: the node's copy is emptied and marked as being rebuilt until <see cref="EndDumpAsync"/>.</summary>
    ValueTask BeginDumpAsync(string nodeId, CancellationToken cancellationToken);

    /// <summary>Stores a page of the dump (newer versions win, as for changes).</summary>
    ValueTask ApplyDumpAsync(string nodeId, IReadOnlyList<DumpEntry> records, CancellationToken cancellationToken);

    /// <summary>Ends the dump: the copy is whole as of <paramref name="position"/>, the change log is read after it.</summary>
    ValueTask EndDumpAsync(string nodeId, long position, CancellationToken cancellationToken);

    /// <summary>The copy's record under <paramref name="key"/>, or null.</summary>
    ValueTask<HandleRecord?> GetAsync(string nodeId, string key, CancellationToken cancellationToken);

    /// <summary>How many records the copy holds: keys counted, no record read (the administration listing asks for every copy).</summary>
    ValueTask<long> CountAsync(string nodeId, CancellationToken cancellationToken);

    /// <summary>Record count and an order-independent checksum per prefix, to compare with the child's own.</summary>
    ValueTask<IReadOnlyList<PrefixChecksum>> SummarizeAsync(string nodeId, CancellationToken cancellationToken);

    /// <summary>The children that have a copy here.</summary>
    ValueTask<IReadOnlyList<string>> NodesAsync(CancellationToken cancellationToken);
}

/// <summary>How far a child's copy got: the last change-log position applied, and whether a dump is half applied (then it starts again).</summary>
public readonly record struct EscrowPosition(long Applied, bool DumpOpen, DateTimeOffset? AppliedAt);

/// <summary>One prefix's records in a copy: how many, and a checksum over (key, version) of each that does not depend on order.</summary>
public sealed record PrefixChecksum(string Prefix, long Count, ulong Checksum);
