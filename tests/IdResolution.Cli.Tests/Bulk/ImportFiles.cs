using System.Text;
using System.Text.Json;

namespace IdResolution.Cli.Tests.Bulk;

/// <summary>Generated import files and readers of export files.</summary>
internal static class ImportFiles
{
    public static string Handle(string prefix, int i) => $"{prefix}/SN-{i:D7}";

    /// <summary>A JSON Lines file of <paramref name="rows"/> items in the batch API's form.</summary>
    public static void WriteJsonLines(string path, string prefix, int rows)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        for (var i = 0; i < rows; i++)
        {
            writer.Write($"{{\"handle\":\"{Handle(prefix, i)}\",\"values\":[{{\"index\":1,\"type\":\"URL\",\"data\":{{\"string\":\"https://example.com/p/{i}\"}}}}]}}\n");
        }
    }

    /// <summary>The export file's lines by handle; fails on a handle exported twice.</summary>
    public static Dictionary<string, JsonElement> ReadExport(string path)
    {
        var byHandle = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path))
        {
            var item = JsonDocument.Parse(line).RootElement;
            var handle = item.GetProperty("handle").GetString()!;
            Assert.True(byHandle.TryAdd(handle, item), $"{handle} exported twice");
        }

        return byHandle;
    }

    public static string Url(JsonElement item) =>
        item.GetProperty("values").EnumerateArray().Single(value => value.GetProperty("index").GetInt32() == 1).GetProperty("data").GetProperty("string").GetString()!;
}
