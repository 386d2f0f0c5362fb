using System.Text.Json.Serialization;

namespace IdResolution.Storage.Embedded;

/// <summary>
/// <c>manifest.json</c> beside a backup's store copy: what it holds (<see cref="StoreDigest"/> figures) and every
/// file with its size and SHA-256, so a restore can tell a complete, undamaged copy from anything else.
/// Written last: a backup directory without it is incomplete.
/// </summary>
internal sealed record BackupManifest(int Format, DateTimeOffset TakenAt, long FeedPosition, long Records, string RecordsSha256, IReadOnlyList<BackupFile> Files);

internal sealed record BackupFile(string Name, long Bytes, string Sha256);

[JsonSerializable(typeof(BackupManifest))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
internal sealed partial class BackupJson : JsonSerializerContext;
