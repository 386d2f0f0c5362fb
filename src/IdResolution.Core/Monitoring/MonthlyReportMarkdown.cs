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

        text.Append("## Incidents\n\n");
        if (report.Incidents.Count == 0)
        {
            text.Append("None.\n\n");
        }
        else
        {
            text.Append("| Start | End | Minutes |\n|---|---|---|\n");
            foreach (var incident in report.Incidents)
            {
                text.Append(c, $"| {Time(incident.Start)} | {Time(incident.End)} | {incident.Length.TotalMinutes:0.0} |\n");
            }

            text.Append('\n');
        }

        text.Append("## Maintenance windows\n\n");
        if (report.Maintenance.Count == 0)
        {
            text.Append("None.\n");
        }
        else
        {
            text.Append("| Start | End | Declared | Excluded | Reason |\n|---|---|---|---|---|\n");
            foreach (var window in report.Maintenance)
            {
                text.Append(c, $"| {Time(window.When.Start)} | {Time(window.When.End)} | {Time(window.DeclaredAt)} | {(window.DeclaredInAdvance ? "yes" : "no (declared late)")} | {window.Reason.Replace('|', '/')} |\n");
            }
        }

        return text.ToString();
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
