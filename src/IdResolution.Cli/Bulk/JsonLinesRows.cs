using System.Text.Json;
using Google.Protobuf;
using IdResolution.Contracts.V1;

namespace IdResolution.Cli.Bulk;

/// <summary>
/// JSON Lines input: one item per line exactly as the batch API takes it, <c>{"handle":...,"values":[...]}</c>,
/// parsed by the contract's own JSON parser, so an unknown field or a wrong type is an error, never ignored.
/// Blank lines are skipped and are not rows.
/// </summary>
internal static class JsonLinesRows
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default);

    public static IEnumerable<SourceRow> Read(string path)
    {
        using var reader = new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        long line = 0;
        long row = 0;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            row++;
            yield return Parse(row, line, text);
        }
    }

    public static long Count(string path)
    {
        using var reader = new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        long rows = 0;
        while (reader.ReadLine() is { } text)
        {
            if (!string.IsNullOrWhiteSpace(text))
            {
                rows++;
            }
        }

        return rows;
    }

    private static SourceRow Parse(long row, long line, string text)
    {
        try
        {
            var item = Parser.Parse<CreateHandleRequest>(text);
            return string.IsNullOrEmpty(item.Handle)
                ? new SourceRow(row, line, null, null, "the line has no \"handle\"")
                : new SourceRow(row, line, item.Handle, item, null);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException)
        {
            return new SourceRow(row, line, HandleOf(text), null, "not an item of the batch API: " + e.Message);
        }
    }

    /// <summary>The handle of a line that failed to parse as a whole, if it can be read at all, for the error file.</summary>
    private static string? HandleOf(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("handle", out var handle) && handle.ValueKind == JsonValueKind.String
                ? handle.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
