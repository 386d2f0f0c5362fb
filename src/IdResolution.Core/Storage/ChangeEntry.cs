using IdResolution.Core.Records;

namespace IdResolution.Core.Storage;

/// <summary>
/// One committed change in a store's change log: the record as written (null when the handle was
/// deleted), at the position the log gave it. <see cref="Version"/> is the written record's version, or for
/// a deletion the version of the record that was deleted. Consumers apply entries idempotently by
/// (key, version), so a repeated or duplicated entry changes nothing.
/// </summary>
public sealed record ChangeEntry(long Position, string Key, HandleRecord? Record, long Version, DateTimeOffset CommittedAt)
{
    public bool IsDeletion => Record is null;
}

/// <summary>
/// A page of the change log after a position. <see cref="Next"/> is the position to read after next time:
/// the last entry's, or further when the store examined log rows past it that it does not deliver (the
/// Cassandra store drops rows of writes that did not commit, and moves past hours with no rows); the one
/// asked for when there was nothing to examine. A page without entries whose <see cref="Next"/> is the
/// position asked for means the reader has caught up. <see cref="Trimmed"/> says the log no longer holds
/// everything after the position asked for (retention dropped it): the reader must start again from a dump.
/// </summary>
public sealed record ChangePage(IReadOnlyList<ChangeEntry> Entries, long Next, bool Trimmed);
