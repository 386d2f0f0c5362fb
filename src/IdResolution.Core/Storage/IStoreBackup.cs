namespace IdResolution.Core.Storage;

/// <summary>
/// An online, consistent copy of the store of record in a directory, for the operator's backups. Stores that
/// back up by their own tools (Cassandra: nodetool snapshot) do not implement it.
/// </summary>
public interface IStoreBackup
{
    /// <summary>
    /// Copies the store as of one instant into <paramref name="directory"/> (new or empty) while writes go on,
    /// with a manifest of its change log position and checksums. A directory that is not new or empty is refused
    /// with <see cref="BackupRefusedException"/>.
    /// </summary>
    ValueTask<BackupSummary> BackupAsync(string directory, CancellationToken cancellationToken);
}
