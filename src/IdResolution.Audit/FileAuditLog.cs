using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using IdResolution.Core.Security;

namespace IdResolution.Audit;

/// <summary>
/// The audit trail as one JSON-lines file per UTC day in a directory. Appends are group-committed:
/// concurrent callers share one write and one fsync, and none returns before its entries are on disk.
/// Queries read the files of the days in range, which is what an administrator's inspection needs.
/// </summary>
public sealed class FileAuditLog : IAuditLog, IAsyncDisposable
{
    private readonly string _directory;
    private readonly Channel<(IReadOnlyList<AuditEntry> Entries, TaskCompletionSource Done)> _pending =
        Channel.CreateUnbounded<(IReadOnlyList<AuditEntry>, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });

    private readonly Task _writer;

    public FileAuditLog(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        _directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(_directory);
        _writer = Task.Run(WriteLoopAsync);
    }

    public ValueTask AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _pending.Writer.TryWrite((entries, done))
            ? new ValueTask(done.Task)
            : ValueTask.FromException(new ObjectDisposedException(nameof(FileAuditLog)));
    }

    public async ValueTask<IReadOnlyList<AuditEntry>> QueryAsync(string? prefix, DateTimeOffset since, DateTimeOffset until, int limit, CancellationToken cancellationToken)
    {
        var found = new List<AuditEntry>();
        for (var day = since.UtcDateTime.Date; day < until.UtcDateTime && found.Count < limit; day = day.AddDays(1))
        {
            var path = FileFor(day);
            if (!File.Exists(path))
            {
                continue;
            }

            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            while (await reader.ReadLineAsync(cancellationToken) is { } line && found.Count < limit)
            {
                var entry = Parse(line);
                if (entry is not null && entry.Time >= since && entry.Time < until
                    && (prefix is null || string.Equals(entry.Prefix, prefix, StringComparison.OrdinalIgnoreCase)))
                {
                    found.Add(entry);
                }
            }
        }

        return found;
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _writer;
    }

    private async Task WriteLoopAsync()
    {
        var reader = _pending.Reader;
        var group = new List<(IReadOnlyList<AuditEntry> Entries, TaskCompletionSource Done)>();
        while (await reader.WaitToReadAsync())
        {
            group.Clear();
            while (reader.TryRead(out var item))
            {
                group.Add(item);
            }

            try
            {
                foreach (var day in group.SelectMany(g => g.Entries).GroupBy(e => e.Time.UtcDateTime.Date))
                {
                    await using var file = new FileStream(FileFor(day.Key), FileMode.Append, FileAccess.Write, FileShare.Read);
                    var text = new StringBuilder();
                    foreach (var entry in day)
                    {
                        text.Append(JsonSerializer.Serialize(entry, AuditJson.Default.AuditEntry)).Append('\n');
                    }

                    await file.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()));
                    file.Flush(flushToDisk: true);
                }

                foreach (var (_, done) in group)
                {
                    done.TrySetResult();
                }
            }
#pragma warning disable CA1031 // The failure is handed to every waiting writer, none is lost.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                foreach (var (_, done) in group)
                {
                    done.TrySetException(exception);
                }
            }
        }
    }

    private static AuditEntry? Parse(string line)
    {
        try
        {
            return JsonSerializer.Deserialize(line, AuditJson.Default.AuditEntry);
        }
        catch (JsonException)
        {
            // A line torn by a crash mid-append is skipped; entries before and after it still count.
            return null;
        }
    }

    private string FileFor(DateTime day) => Path.Combine(_directory, "audit-" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ".jsonl");
}

[JsonSerializable(typeof(AuditEntry))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class AuditJson : JsonSerializerContext;
