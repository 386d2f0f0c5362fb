using System.Text.Json.Serialization;

namespace IdResolution.Cli.Bulk;

/// <summary>
/// How far an import got: every data row before <see cref="RowsDone"/> was acknowledged by the node (or written to
/// the error file, which then had <see cref="ErrorFileBytes"/> bytes). Rows after it may or may not have been
/// written; a resumed import sends them again, which the node's idempotent create makes harmless. The input's
/// size and time tie the checkpoint to one version of the file.
/// </summary>
internal sealed record ImportCheckpoint
{
    public required string Input { get; init; }

    public required long InputBytes { get; init; }

    public required DateTime InputWrittenUtc { get; init; }

    public long RowsDone { get; init; }

    public long ErrorFileBytes { get; init; }

    public long Created { get; init; }

    public long Unchanged { get; init; }

    public long Failed { get; init; }

    public static ImportCheckpoint Fresh(string input)
    {
        var file = new FileInfo(input);
        return new ImportCheckpoint { Input = file.FullName, InputBytes = file.Length, InputWrittenUtc = file.LastWriteTimeUtc };
    }

    public bool Describes(ImportCheckpoint fresh)
    {
        ArgumentNullException.ThrowIfNull(fresh);
        return Input == fresh.Input && InputBytes == fresh.InputBytes && InputWrittenUtc == fresh.InputWrittenUtc;
    }

    public static ImportCheckpoint? Load(string path) => DurableFile.Load(path, CheckpointJson.Default.ImportCheckpoint);

    public void Save(string path) => DurableFile.Save(path, this, CheckpointJson.Default.ImportCheckpoint);
}

[JsonSerializable(typeof(ImportCheckpoint))]
[JsonSerializable(typeof(ExportCheckpoint))]
[JsonSerializable(typeof(ErrorLine))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class CheckpointJson : JsonSerializerContext;
