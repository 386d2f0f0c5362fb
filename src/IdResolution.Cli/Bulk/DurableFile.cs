namespace IdResolution.Cli.Bulk;

/// <summary>Replaces a small file whole: written beside it, flushed to disk, then renamed over it.</summary>
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
}
