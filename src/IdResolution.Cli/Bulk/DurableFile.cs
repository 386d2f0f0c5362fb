using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace IdResolution.Cli.Bulk;

/// <summary>Small state files (checkpoints): replaced whole, written beside them, flushed to disk, then renamed over them.</summary>
internal static class DurableFile
{
    public static void Replace(string path, ReadOnlySpan<byte> content)
    {
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    public static void Save<T>(string path, T value, JsonTypeInfo<T> type) => Replace(path, JsonSerializer.SerializeToUtf8Bytes(value, type));

    /// <summary>The checkpoint at <paramref name="path"/>, or null when there is none.</summary>
    public static T? Load<T>(string path, JsonTypeInfo<T> type)
        where T : class
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), type);
        }
        catch (JsonException invalid)
        {
            throw CliFailure.Usage($"the checkpoint {path} is damaged ({invalid.Message}); remove it or run with --restart");
        }
    }
}
