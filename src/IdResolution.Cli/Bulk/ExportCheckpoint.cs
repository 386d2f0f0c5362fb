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

    public static ExportCheckpoint? Load(string path) => DurableFile.Load(path, CheckpointJson.Default.ExportCheckpoint);

    public void Save(string path) => DurableFile.Save(path, this, CheckpointJson.Default.ExportCheckpoint);
}

/// <summary>How an export ended; <see cref="Completed"/> is false when it was interrupted and its checkpoint stays.</summary>
internal sealed record ExportSummary(string Prefix, string? Output, long Handles, long ResumedFrom, TimeSpan Elapsed, bool Completed)
{
    public double HandlesPerSecond => Elapsed.TotalSeconds > 0 ? (Handles - ResumedFrom) / Elapsed.TotalSeconds : 0;
}
