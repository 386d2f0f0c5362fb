namespace IdResolution.Cli.Bulk;

internal enum InputFormat
{
    Csv,
    JsonLines,
}

internal static class InputFormats
{
    /// <summary>The format named by <c>--format</c>, else by the file's extension (.csv, .jsonl or .ndjson).</summary>
    public static InputFormat Of(string path, string? named)
    {
        ArgumentNullException.ThrowIfNull(path);
        var name = named ?? Path.GetExtension(path).TrimStart('.');
        return name.ToUpperInvariant() switch
        {
            "CSV" => InputFormat.Csv,
            "JSONL" or "NDJSON" or "JSON" => InputFormat.JsonLines,
            _ => throw CliFailure.Usage($"cannot tell the format of {path}: name it with --format csv or --format jsonl"),
        };
    }

    public static IEnumerable<SourceRow> Read(string path, InputFormat format) =>
        format == InputFormat.Csv ? CsvRows.Read(path) : JsonLinesRows.Read(path);

    /// <summary>Counts the data rows first, so the progress bar has a total and an ETA.</summary>
    public static long Count(string path, InputFormat format) =>
        format == InputFormat.Csv ? CsvRows.Count(path) : JsonLinesRows.Count(path);
}
