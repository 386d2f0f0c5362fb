using System.Text.Json;

namespace IdResolution.Cli.Bulk;

/// <summary>One rejected row: where it is in the input, its handle, the node's Handle response code (none for rows
/// that could not be read) and the reason in words.</summary>
internal sealed record ErrorLine(long Row, long Line, string? Handle, int? ResponseCode, string Reason);

/// <summary>
/// The error file of an import, JSON Lines, one <see cref="ErrorLine"/> per rejected row, in row order. A resumed
/// import first cuts it back to the length its checkpoint recorded, so no rejection is listed twice.
/// </summary>
internal sealed class ErrorFile : IDisposable
{
    private readonly FileStream _stream;

    public ErrorFile(string path, long keepBytes)
    {
        Path = path;
        _stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read);
        _stream.SetLength(Math.Min(keepBytes, _stream.Length));
        _stream.Seek(0, SeekOrigin.End);
    }

    public string Path { get; }

    public long Length => _stream.Length;

    public void Append(ErrorLine line)
    {
        JsonSerializer.Serialize(_stream, line, CheckpointJson.Default.ErrorLine);
        _stream.WriteByte((byte)'\n');
    }

    public void Flush() => _stream.Flush(flushToDisk: true);

    public void Dispose() => _stream.Dispose();
}
