namespace IdResolution.Core.Storage;

/// <summary>
/// The change log a store keeps of every committed change (creates, replacements, deletions) of every
/// handle except accounts (<c>0.USER/*</c>), written with the change itself: an acknowledged write has
/// its entry. Read by position, oldest first; positions only grow. The node files its prefix handle
/// changes with its parent from it, and the parent's escrow copy is fed from it.
/// </summary>
public interface IChangeFeed
{
    /// <summary>Entries strictly after <paramref name="afterPosition"/> (0: from the start), at most <paramref name="limit"/>.</summary>
    ValueTask<ChangePage> ReadChangesAsync(long afterPosition, int limit, CancellationToken cancellationToken);

    /// <summary>The position of the newest entry a reader can see now (0 when there is none).</summary>
    ValueTask<long> LastChangePositionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Whether every position a reader was ever given is at most <see cref="LastChangePositionAsync"/>: true where
    /// positions are a counter kept with the entries (the embedded store), so a reader asking after a later one
    /// holds positions this log never issued (the store was restored from an older backup). False where positions
    /// follow time and a reader may move on past the newest entry (Cassandra).
    /// </summary>
    bool PositionsAreDense => false;
}
