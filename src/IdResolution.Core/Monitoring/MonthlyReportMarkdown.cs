using System.Globalization;
using System.Text;

namespace IdResolution.Core.Monitoring;

/// <summary>The monthly report as a document an operator or the top level reads as it is (Markdown).</summary>
public static class MonthlyReportMarkdown
{
    public static string Render(MonthlyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.Append(c, $"# Monthly report {report.Month} — node {report.Node}\n\n");
        text.Append("| Figure | Value |\n|---|---|\n");
        text.Append(c, $"| Observed | {Time(report.Observed.Start)} – {Time(report.Observed.End)} |\n");
        text.Append(c, $"| Availability | {(report.AvailabilityPercent is { } a ? a.ToString("0.000", c) + " %" : "n/a (no scheduled time)")} |\n");
        text.Append(c, $"| Operating hours | {report.OperatingHours:0.00} |\n");
        text.Append(c, $"| Scheduled hours | {report.Scheduled.TotalHours:0.00} |\n");
        text.Append(c, $"| Downtime (minutes) | {report.Downtime.TotalMinutes:0.0} |\n");
        text.Append(c, $"| Declared maintenance, excluded (minutes) | {report.Excluded.TotalMinutes:0.0} |\n");
        text.Append(c, $"| Registrations | {report.Registrations} |\n");
        text.Append(c, $"| Resolutions | {report.Resolutions} |\n\n");

        Section(text, "Incidents", "| Start | End | Minutes |", report.Incidents.Select(i =>
            string.Create(c, $"| {Time(i.Start)} | {Time(i.End)} | {i.Length.TotalMinutes:0.0} |")));
        Section(text, "Maintenance windows", "| Start | End | Declared | Excluded | Reason |", report.Maintenance.Select(w =>
            $"| {Time(w.When.Start)} | {Time(w.When.End)} | {Time(w.DeclaredAt)} | {(w.DeclaredInAdvance ? "yes" : "no (declared late)")} | {w.Reason.Replace('|', '/')} |"));
        return text.ToString();
    }

    /// <summary>A heading and a table of <paramref name="rows"/>, or "None." when there are none.</summary>
    private static void Section(StringBuilder text, string heading, string header, IEnumerable<string> rows)
    {
        text.Append("## ").Append(heading).Append("\n\n");
        var lines = rows.ToList();
        if (lines.Count == 0)
        {
            text.Append("None.\n\n");
            return;
        }

        var columns = header.Count(ch => ch == '|') - 1;
        text.Append(header).Append('\n').Append('|').Append(string.Concat(Enumerable.Repeat("---|", columns))).Append('\n');
        foreach (var line in lines)
        {
            text.Append(line).Append('\n');
        }

        text.Append('\n');
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
