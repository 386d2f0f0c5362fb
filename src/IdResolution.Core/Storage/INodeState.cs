namespace IdResolution.Core.Storage;

/// <summary>
/// Small pieces of node state kept in the store, shared by every instance of a node: cursors (how far a
/// background task got, e.g. the last change position filed with the parent) and leases (which instance
/// runs a task that must run once, e.g. filing in order).
/// </summary>
public interface INodeState
{
    /// <summary>The cursor's value, or null if it was never written.</summary>
    ValueTask<long?> ReadCursorAsync(string name, CancellationToken cancellationToken);

    /// <summary>Durably sets the cursor (last writer wins; only the lease holder writes a cursor).</summary>
    ValueTask WriteCursorAsync(string name, long value, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the lease <paramref name="name"/> for <paramref name="owner"/> for <paramref name="duration"/>, or
    /// renews it when <paramref name="owner"/> already holds it. False while another owner holds it.
    /// </summary>
    ValueTask<bool> TryAcquireLeaseAsync(string name, string owner, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Gives the lease up early (on shutdown), if <paramref name="owner"/> holds it.</summary>
    ValueTask ReleaseLeaseAsync(string name, string owner, CancellationToken cancellationToken);
}
