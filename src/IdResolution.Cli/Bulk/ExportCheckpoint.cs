using System.Text.Json;

namespace IdResolution.Cli.Bulk;

/// <summary>
/// How far an export got: the output had <see cref="OutputBytes"/> bytes of whole lines when the listing's next
/// page was <see cref="NextPageToken"/>. A resumed export cuts the output back to that length and goes on from there.
/// </summary>
internal sealed record ExportCheckpoint
{
    public required string Prefix { get; init; }

    public required string Output { get; init; }

    public string NextPageToken { get; init; } = string.Empty;

    public long OutputBytes { get; init; }

    public long Handles { get; init; }

    public static ExportCheckpoint? Load(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), CheckpointJson.Default.ExportCheckpoint);
        }
        catch (JsonException invalid)
        {
            throw CliFailure.Usage($"the checkpoint {path} is damaged ({invalid.Message}); remove it or run with --restart");
        }
    }

    public void Save(string path) => DurableFile.Replace(path, JsonSerializer.SerializeToUtf8Bytes(this, CheckpointJson.Default.ExportCheckpoint));
}

/// <summary>How an export ended; <see cref="Completed"/> is false when it was interrupted and its checkpoint stays.</summary>
internal sealed record ExportSummary(string Prefix, string? Output, long Handles, long ResumedFrom, TimeSpan Elapsed, bool Completed)
{
    public double HandlesPerSecond => Elapsed.TotalSeconds > 0 ? (Handles - ResumedFrom) / Elapsed.TotalSeconds : 0;
}
