using System.Security.Cryptography;
using System.Text.Json;
using IdResolution.Core.Storage;
using RocksDbSharp;

namespace IdResolution.Storage.Embedded;

/// <summary>
/// Backups of the embedded store and restores from them. A backup directory holds <c>store/</c>, a RocksDB
/// checkpoint (SST files hard-linked where the file system allows, the write-ahead log copied: one consistent
/// instant, taken while writes go on), and <c>manifest.json</c>, written last, with the checkpoint's
/// <see cref="StoreDigest"/> and every file's SHA-256. A restore checks all of it before the target exists.
/// </summary>
public static class EmbeddedBackup
{
    public const string ManifestName = "manifest.json";
    public const string StoreFolder = "store";
    private const int ManifestFormat = 1;

    /// <summary>The backup directory as a full path, refused unless new or empty and outside the store it copies.</summary>
    internal static string Prepare(string directory, string storePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var target = Path.GetFullPath(directory);
        if (IsWithin(target, storePath) || IsWithin(storePath, target))
        {
            throw new BackupRefusedException($"The backup directory '{target}' overlaps the store at '{storePath}'; choose a directory outside it.");
        }

        RequireNewOrEmpty(target, "backup");
        return target;
    }

    /// <summary>Takes the checkpoint; the caller holds the engine open meanwhile.</summary>
    internal static void Checkpoint(RocksDb db, string target)
    {
        Directory.CreateDirectory(target);
        try
        {
            using var checkpoint = db.Checkpoint();
            checkpoint.Save(Path.Combine(target, StoreFolder));
        }
        catch (RocksDbException exception)
        {
            throw new BackupRefusedException($"The checkpoint in '{target}' could not be taken: {exception.Message}", exception);
        }
    }

    /// <summary>Describes the checkpoint and writes the manifest, which marks the backup complete.</summary>
    internal static BackupSummary Seal(string target, DateTimeOffset takenAt)
    {
        var store = Path.Combine(target, StoreFolder);
        var files = Files(store);
        var digest = StoreDigest.Of(store);
        var manifest = new BackupManifest(ManifestFormat, takenAt, digest.FeedPosition, digest.Records, digest.RecordsSha256, files);
        var temporary = Path.Combine(target, ManifestName + ".tmp");
        using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
        {
            JsonSerializer.Serialize(stream, manifest, BackupJson.Default.BackupManifest);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, Path.Combine(target, ManifestName));
        return Summary(target, manifest);
    }

    /// <summary>
    /// Restores the backup in <paramref name="from"/> as the store directory <paramref name="to"/> (new or empty):
    /// checks every file against the manifest, copies them beside the target, checks the copy's records and change
    /// log position against the manifest, and only then moves it into place. Refused with nothing changed otherwise.
    /// </summary>
    public static BackupSummary Restore(string from, string to)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(from);
        ArgumentException.ThrowIfNullOrWhiteSpace(to);
        var source = Path.GetFullPath(from);
        var target = Path.GetFullPath(to).TrimEnd(Path.DirectorySeparatorChar);
        var manifest = ReadManifest(source);
        RequireNewOrEmpty(target, "restore target");

        var staging = target + ".restoring";
        if (Directory.Exists(staging))
        {
            // Left by a restore that was interrupted; it never became the store.
            Directory.Delete(staging, recursive: true);
        }

        Directory.CreateDirectory(staging);
        try
        {
            foreach (var file in manifest.Files)
            {
                var copy = Path.Combine(staging, file.Name);
                File.Copy(Path.Combine(source, StoreFolder, file.Name), copy);
                if (Describe(copy) != file)
                {
                    throw new BackupRefusedException($"The backup file '{file.Name}' in '{source}' does not match its manifest (size or SHA-256): the backup is damaged.");
                }
            }

            var digest = StoreDigest.Of(staging);
            if (digest != new StoreDigest(manifest.FeedPosition, manifest.Records, manifest.RecordsSha256))
            {
                throw new BackupRefusedException($"The restored store holds {digest.Records} records to position {digest.FeedPosition} (SHA-256 {digest.RecordsSha256}), "
                    + $"not the {manifest.Records} records to position {manifest.FeedPosition} the manifest names.");
            }

            if (Directory.Exists(target))
            {
                Directory.Delete(target);
            }

            Directory.Move(staging, target);
        }
        catch
        {
            Directory.Delete(staging, recursive: true);
            throw;
        }

        return Summary(target, manifest);
    }

    private static BackupManifest ReadManifest(string source)
    {
        var path = Path.Combine(source, ManifestName);
        if (!File.Exists(path))
        {
            throw new BackupRefusedException($"'{source}' holds no {ManifestName}: it is no backup, or one that did not finish.");
        }

        try
        {
            using var stream = File.OpenRead(path);
            var manifest = JsonSerializer.Deserialize(stream, BackupJson.Default.BackupManifest);
            return manifest is { Format: ManifestFormat, Files.Count: > 0 } && manifest.Files.All(f => f.Name == Path.GetFileName(f.Name))
                ? manifest
                : throw new BackupRefusedException($"The manifest '{path}' is of an unknown format or names files outside the backup.");
        }
        catch (JsonException exception)
        {
            throw new BackupRefusedException($"The manifest '{path}' is damaged: {exception.Message}", exception);
        }
    }

    private static List<BackupFile> Files(string store) =>
        [.. Directory.GetFiles(store).Order(StringComparer.Ordinal).Select(Describe)];

    private static BackupFile Describe(string path)
    {
        using var stream = File.OpenRead(path);
        return new BackupFile(Path.GetFileName(path), stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }

    private static BackupSummary Summary(string directory, BackupManifest manifest) =>
        new(directory, manifest.TakenAt, manifest.FeedPosition, manifest.Records, manifest.RecordsSha256, manifest.Files.Sum(f => f.Bytes));

    private static void RequireNewOrEmpty(string directory, string what)
    {
        if (File.Exists(directory) || (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any()))
        {
            throw new BackupRefusedException($"The {what} directory '{directory}' exists and is not empty; name a new or empty directory.");
        }
    }

    private static bool IsWithin(string path, string directory)
    {
        var relative = Path.GetRelativePath(directory, path);
        return relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative));
    }
}
