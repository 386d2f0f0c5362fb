namespace IdResolution.Core.Storage;

/// <summary>
/// A whole copy of a store's records for a reader that starts from nothing or has fallen behind the change
/// log's retention (the parent's escrow of this node): every record the change log would carry (never
/// accounts, <see cref="ChangeFeedScope"/>), and the position after which the reader replays the change log.
/// Applying the dump, then the log after <see cref="IDump.Position"/> by (handle, version), gives what the
/// store holds.
/// </summary>
public interface IStoreDump
{
    /// <summary>Opens a dump; dispose it to free what it holds (the embedded store keeps a snapshot open).</summary>
    ValueTask<IDump> OpenDumpAsync(CancellationToken cancellationToken);
}
