using System.Buffers;
using System.Text.Json;
using IdResolution.Core.Security;

namespace IdResolution.Audit;

/// <summary>
/// The JSON lines of one write-loop group, per UTC day, written straight as UTF-8 into a buffer the loop
/// reuses: the same text as serialising each entry to a string, without a string per entry and per group.
/// </summary>
internal static class AuditLines
{
    /// <summary>What the serializer would write with on its own, so the lines read back as before.</summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = AuditJson.Default.Options.Encoder,
        Indented = AuditJson.Default.Options.WriteIndented,
    };

    /// <summary>The UTC days of the group's entries, in the order they first occur.</summary>
    public static void Days(List<(IReadOnlyList<AuditEntry> Entries, TaskCompletionSource Done)> group, List<DateTime> days)
    {
        days.Clear();
        foreach (var (entries, _) in group)
        {
            foreach (var entry in entries)
            {
                var day = entry.Time.UtcDateTime.Date;
                if (days.Count == 0 || (days[^1] != day && !days.Contains(day)))
                {
                    days.Add(day);
                }
            }
        }
    }

    /// <summary>Replaces what <paramref name="lines"/> holds with one line per entry of <paramref name="day"/>, in the group's order.</summary>
    public static void Write(List<(IReadOnlyList<AuditEntry> Entries, TaskCompletionSource Done)> group, DateTime day, Utf8JsonWriter json, ArrayBufferWriter<byte> lines)
    {
        lines.ResetWrittenCount();
        foreach (var (entries, _) in group)
        {
            foreach (var entry in entries)
            {
                if (entry.Time.UtcDateTime.Date != day)
                {
                    continue;
                }

                // A writer takes one top-level value; resetting it keeps what it wrote and starts the next line.
                json.Reset(lines);
                JsonSerializer.Serialize(json, entry, AuditJson.Default.AuditEntry);
                lines.Write("\n"u8);
            }
        }
    }
}
