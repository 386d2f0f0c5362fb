using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using IdResolution.Core.Monitoring;

namespace IdResolution.Audit;

/// <summary>
/// The operations journal as files, one folder per node: <c>alive-yyyy-MM.jsonl</c> (alive marks by the month they were
/// written in), <c>probes-yyyy-MM.jsonl</c> (failed probes of a child, by the month they ended in), <c>maintenance.jsonl</c> and <c>first-seen</c>. Every append is synced before it returns; a line torn by
/// a crash is skipped when read, so it costs only itself (at most a minute of marks).
/// </summary>
public sealed class FileOperationsJournal : IOperationsJournal, IDisposable
{
    private const string FirstSeenFile = "first-seen";
    private const string MaintenanceFile = "maintenance.jsonl";
    private readonly string _directory;
    private readonly SemaphoreSlim _writing = new(1, 1);

    public FileOperationsJournal(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        _directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(_directory);
    }

    public bool Knows(string node) => MonthlyReports.IsNodeName(node) && File.Exists(Path.Combine(Folder(node), FirstSeenFile));

    public async ValueTask RecordAliveAsync(AliveMark mark, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mark);
        var folder = Folder(mark.Node);
        var line = JsonSerializer.Serialize(new MarkLine(mark.Start, mark.At, mark.Registrations, mark.Resolutions), JournalJson.Default.MarkLine);
        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Directory.CreateDirectory(folder);
            var firstSeen = Path.Combine(folder, FirstSeenFile);
            if (!File.Exists(firstSeen))
            {
                await AppendAsync(firstSeen, mark.Start.ToString("O", CultureInfo.InvariantCulture)).ConfigureAwait(false);
            }

            await AppendAsync(Path.Combine(folder, "alive-" + Month(mark.At) + ".jsonl"), line).ConfigureAwait(false);
        }
        finally
        {
            _writing.Release();
        }
    }

    public async ValueTask RecordProbeFailureAsync(string node, TimeRange failed, CancellationToken cancellationToken)
    {
        var folder = Folder(node);
        var line = JsonSerializer.Serialize(new ProbeLine(failed.Start, failed.End), JournalJson.Default.ProbeLine);
        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Directory.CreateDirectory(folder);
            await AppendAsync(Path.Combine(folder, "probes-" + Month(failed.End) + ".jsonl"), line).ConfigureAwait(false);
        }
        finally
        {
            _writing.Release();
        }
    }

    public async ValueTask DeclareMaintenanceAsync(string node, MaintenanceWindow window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(window);
        var folder = Folder(node);
        var line = JsonSerializer.Serialize(new WindowLine(window.When.Start, window.When.End, window.DeclaredAt, window.Reason), JournalJson.Default.WindowLine);
        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Directory.CreateDirectory(folder);
            await AppendAsync(Path.Combine(folder, MaintenanceFile), line).ConfigureAwait(false);
        }
        finally
        {
            _writing.Release();
        }
    }

    public async ValueTask<OperationsHistory> ReadAsync(string node, ReportMonth month, CancellationToken cancellationToken)
    {
        var folder = Folder(node);
        DateTimeOffset? firstSeen = null;
        var firstSeenPath = Path.Combine(folder, FirstSeenFile);
        if (File.Exists(firstSeenPath)
            && DateTimeOffset.TryParse((await File.ReadAllTextAsync(firstSeenPath, cancellationToken).ConfigureAwait(false)).Trim(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var seen))
        {
            firstSeen = seen;
        }

        var runs = new Dictionary<DateTimeOffset, DateTimeOffset>();
        long registrations = 0;
        long resolutions = 0;
        foreach (var mark in await LinesAsync(Path.Combine(folder, "alive-" + month + ".jsonl"), JournalJson.Default.MarkLine, cancellationToken).ConfigureAwait(false))
        {
            runs[mark.Start] = runs.TryGetValue(mark.Start, out var last) && last > mark.At ? last : mark.At;
            registrations += mark.Registrations;
            resolutions += mark.Resolutions;
        }

        var windows = (await LinesAsync(Path.Combine(folder, MaintenanceFile), JournalJson.Default.WindowLine, cancellationToken).ConfigureAwait(false))
            .Select(w => new MaintenanceWindow(new TimeRange(w.Start, w.End), w.DeclaredAt, w.Reason))
            .ToList();
        var probes = await LinesAsync(Path.Combine(folder, "probes-" + month + ".jsonl"), JournalJson.Default.ProbeLine, cancellationToken).ConfigureAwait(false);
        return new OperationsHistory(firstSeen, [.. runs.Select(r => new TimeRange(r.Key, r.Value))], windows, registrations, resolutions)
        {
            ProbeFailures = [.. probes.Where(p => p.End > p.Start).Select(p => new TimeRange(p.Start, p.End))],
        };
    }

    public void Dispose() => _writing.Dispose();

    private string Folder(string node) => MonthlyReports.IsNodeName(node)
        ? Path.Combine(_directory, node.ToLowerInvariant())
        : throw new ArgumentException($"'{node}' is no node prefix.", nameof(node));

    private static string Month(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static async Task AppendAsync(string path, string line)
    {
        await using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
        await file.WriteAsync(Encoding.UTF8.GetBytes("\n" + line + "\n")).ConfigureAwait(false);
        file.Flush(flushToDisk: true);
    }

    private static async Task<List<T>> LinesAsync<T>(string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var found = new List<T>();
        if (!File.Exists(path))
        {
            return found;
        }

        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false))
        {
            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                if (JsonSerializer.Deserialize(line, type) is { } item)
                {
                    found.Add(item);
                }
            }
            catch (JsonException)
            {
                // A line torn by a crash mid-append; the lines around it still count.
            }
        }

        return found;
    }
}

internal sealed record MarkLine(DateTimeOffset Start, DateTimeOffset At, long Registrations, long Resolutions);

internal sealed record ProbeLine(DateTimeOffset Start, DateTimeOffset End);

internal sealed record WindowLine(DateTimeOffset Start, DateTimeOffset End, DateTimeOffset DeclaredAt, string Reason);

[JsonSerializable(typeof(MarkLine))]
[JsonSerializable(typeof(WindowLine))]
[JsonSerializable(typeof(ProbeLine))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class JournalJson : JsonSerializerContext;
