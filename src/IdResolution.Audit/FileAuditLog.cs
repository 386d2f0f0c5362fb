using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using IdResolution.Core.Security;
using IdResolution.Core.Storage;

namespace IdResolution.Audit;

/// <summary>
/// The audit trail as one JSON-lines file per UTC day in a directory. Appends are group-committed:
/// concurrent callers share one write and one fsync, and none returns before its entries are on disk.
/// Queries read the files of the days in range, which is what an administrator's inspection needs.
/// An append that fails leaves nothing of itself in the file, and a full disk is reported as
/// <see cref="DiskFullException"/>; the next append tries again, so the log recovers by itself.
/// Day files older than <see cref="AuditOptions.RetentionDays"/> whole days before today are deleted at start and every hour.
/// </summary>
public sealed class FileAuditLog : IAuditLog, IAsyncDisposable
{
    // errno values .NET reports as IOException.HResult on Linux: ENOSPC and EDQUOT.
    private const int NoSpace = 28;
    private const int QuotaExceeded = 122;

    private readonly string _directory;
    private readonly Channel<(IReadOnlyList<AuditEntry> Entries, TaskCompletionSource Done)> _pending =
        Channel.CreateUnbounded<(IReadOnlyList<AuditEntry>, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });

    // Retention runs this often: the trail may hold a day file for up to an hour past its retention.
    private static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);

    private readonly Task _writer;
    private readonly int _retentionDays;
    private readonly TimeProvider _time;
    private readonly ITimer _pruneTimer;

    /// <summary>A trail with the default retention (<see cref="AuditOptions"/>).</summary>
    public FileAuditLog(string directory)
        : this(directory, new AuditOptions(), TimeProvider.System)
    {
    }

    public FileAuditLog(string directory, AuditOptions options, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.RetentionDays, 1, nameof(options));
        _directory = Path.GetFullPath(directory);
        _retentionDays = options.RetentionDays;
        _time = time;
        Directory.CreateDirectory(_directory);
        _writer = Task.Run(WriteLoopAsync);
        _pruneTimer = time.CreateTimer(static state => ((FileAuditLog)state!).Prune(), this, TimeSpan.Zero, PruneInterval);
    }

    /// <summary>
    /// Deletes the day files before the first day kept (today less <see cref="AuditOptions.RetentionDays"/>) and
    /// returns how many it deleted. A file that cannot be deleted now is left for the next run.
    /// </summary>
    internal int Prune()
    {
        var firstKept = _time.GetUtcNow().UtcDateTime.Date.AddDays(-_retentionDays);
        var deleted = 0;
        string[] files;
        try
        {
            files = Directory.GetFiles(_directory, "audit-*.jsonl");
        }
        catch (IOException)
        {
            // The directory is unreadable just now (or gone); appends report that, retention retries at the next run.
            return 0;
        }

        foreach (var path in files)
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (DateTime.TryParseExact(name["audit-".Length..], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var day)
                && day < firstKept)
            {
                try
                {
                    File.Delete(path);
                    deleted++;
                }
                catch (IOException)
                {
                    // Retried at the next run; retention is a bound on age, not a deadline.
                }
            }
        }

        return deleted;
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
        await _pruneTimer.DisposeAsync();
        _pending.Writer.TryComplete();
        await _writer;
    }

    private async Task WriteLoopAsync()
    {
        var reader = _pending.Reader;
        var group = new List<(IReadOnlyList<AuditEntry> Entries, TaskCompletionSource Done)>();
        var days = new List<DateTime>();

        // Kept for the life of the loop: a group of a busy node is megabytes of lines, and building them
        // as strings each time put that much on the large object heap per fsync.
        var lines = new ArrayBufferWriter<byte>();
        using var json = new Utf8JsonWriter(lines, AuditLines.WriterOptions);
        while (await reader.WaitToReadAsync())
        {
            group.Clear();
            while (reader.TryRead(out var item))
            {
                group.Add(item);
            }

            try
            {
                AuditLines.Days(group, days);
                foreach (var day in days)
                {
                    AuditLines.Write(group, day, json, lines);
                    await AppendLinesAsync(FileFor(day), lines.WrittenMemory);
                }

                foreach (var (_, done) in group)
                {
                    done.TrySetResult();
                }
            }
            catch (IOException exception) when (exception.HResult is NoSpace or QuotaExceeded)
            {
                var full = new DiskFullException("the audit trail's disk is full, so this request could not be recorded and is refused; "
                    + "it succeeds again once space is freed on the node's audit disk", exception);
                foreach (var (_, done) in group)
                {
                    done.TrySetException(full);
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

    /// <summary>
    /// Appends whole lines and syncs them. A failed append is cut off again, so no half line is left
    /// for the next one to run into; a line torn by a crash is ended first, so it costs only itself.
    /// </summary>
    private static async Task AppendLinesAsync(string path, ReadOnlyMemory<byte> lines)
    {
        // Unbuffered: what failed to reach the file is not written again when the stream is closed.
        await using var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        var start = file.Seek(0, SeekOrigin.End);
        try
        {
            if (start > 0)
            {
                file.Position = start - 1;
                if (file.ReadByte() != '\n')
                {
                    await file.WriteAsync("\n"u8.ToArray());
                }
            }

            await file.WriteAsync(lines);
            file.Flush(flushToDisk: true);
        }
        catch (IOException)
        {
            try
            {
                file.SetLength(start);
            }
            catch (IOException)
            {
                // Left for the next append, which ends the half line before writing its own.
            }

            throw;
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
