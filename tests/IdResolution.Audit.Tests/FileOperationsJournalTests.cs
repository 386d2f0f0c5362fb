using IdResolution.Core.Monitoring;
using Microsoft.Extensions.Time.Testing;

namespace IdResolution.Audit.Tests;

/// <summary>The operations journal on real files, read back by a new instance (as after a restart) into a monthly report.</summary>
public sealed class FileOperationsJournalTests : IDisposable
{
    private static readonly ReportMonth November = new(2026, 11);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "idres-operations-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_node_killed_for_ten_minutes_in_a_month_with_a_declared_window_reports_the_availability_from_its_own_marks()
    {
        var start = November.Start;
        var restart = start.AddDays(10);
        var outageStart = restart.AddMinutes(-11);
        using (var journal = new FileOperationsJournal(_directory))
        {
            // First run: a mark a minute up to 11 minutes before the restart; second run: marks to the month's end.
            for (var at = start; at <= outageStart; at = at.AddMinutes(1))
            {
                await journal.RecordAliveAsync(new AliveMark("88.710", start, at, 2, 5), Ct);
                at = at < outageStart.AddMinutes(-3) ? outageStart.AddMinutes(-3) : at;
            }

            for (var at = restart; at < November.End; at = at.AddDays(1) < November.End ? at.AddDays(1) : November.End.AddSeconds(-30))
            {
                await journal.RecordAliveAsync(new AliveMark("88.710", restart, at, 1, 1), Ct);
                if (at == November.End.AddSeconds(-30))
                {
                    break;
                }
            }

            await journal.DeclareMaintenanceAsync("88.710", new MaintenanceWindow(new TimeRange(start.AddDays(20), start.AddDays(20).AddMinutes(30)), start.AddDays(19), "upgrade"), Ct);
        }

        using var reopened = new FileOperationsJournal(_directory);
        var reports = new MonthlyReports(reopened, "88.710", TimeSpan.FromSeconds(30), new FakeTimeProvider(November.End.AddDays(3)));
        var report = await reports.ReportAsync("88.710", November, Ct);

        // The last mark of the first run keeps the node up for one more mark interval; the rest to the restart is down.
        var down = restart - (outageStart + MonthlyReports.SelfMarkInterval);
        var scheduled = November.End - November.Start - TimeSpan.FromMinutes(30);
        Assert.NotNull(report);
        Assert.Equal(down, report.Downtime);
        Assert.Equal((scheduled - down) / scheduled * 100, report.AvailabilityPercent!.Value, precision: 9);
        Assert.Equal(TimeSpan.FromMinutes(30), report.Excluded);
        Assert.Equal(Assert.Single(report.Incidents).End, restart);
        Assert.True(report.Registrations > 0 && report.Resolutions > report.Registrations);
    }

    [Fact]
    public async Task A_childs_failed_probes_are_incidents_of_its_report_while_its_heartbeats_came_merged_where_they_overlap()
    {
        var start = November.Start;
        using (var journal = new FileOperationsJournal(_directory))
        {
            // Heartbeats every interval for the whole month: no gap of its own.
            for (var at = start; at < November.End; at += TimeSpan.FromHours(1))
            {
                await journal.RecordAliveAsync(new AliveMark("88.710", start, at, 0, 0), Ct);
            }

            // One failing stretch journaled as it grew (probe after probe), and a second one later.
            await journal.RecordProbeFailureAsync("88.710", new TimeRange(start.AddDays(3), start.AddDays(3).AddMinutes(1)), Ct);
            await journal.RecordProbeFailureAsync("88.710", new TimeRange(start.AddDays(3), start.AddDays(3).AddMinutes(4)), Ct);
            await journal.RecordProbeFailureAsync("88.710", new TimeRange(start.AddDays(9), start.AddDays(9).AddMinutes(2)), Ct);
        }

        using var reopened = new FileOperationsJournal(_directory);
        var reports = new MonthlyReports(reopened, "88", TimeSpan.FromHours(1), new FakeTimeProvider(November.End.AddDays(1)));
        var report = await reports.ReportAsync("88.710", November, Ct);

        Assert.NotNull(report);
        Assert.Equal([new TimeRange(start.AddDays(3), start.AddDays(3).AddMinutes(4)), new TimeRange(start.AddDays(9), start.AddDays(9).AddMinutes(2))], report.Incidents);
        Assert.Equal(TimeSpan.FromMinutes(6), report.Downtime);
    }

    [Fact]
    public async Task Nothing_recorded_means_no_report_and_a_name_that_is_no_prefix_is_refused()
    {
        using var journal = new FileOperationsJournal(_directory);
        var reports = new MonthlyReports(journal, "88.710", TimeSpan.FromSeconds(30), TimeProvider.System);

        Assert.Null(await reports.ReportAsync("88.711", November, Ct));
        Assert.False(journal.Knows("../etc"));
        await Assert.ThrowsAsync<ArgumentException>(async () => await journal.RecordAliveAsync(new AliveMark("../etc", November.Start, November.Start, 0, 0), Ct));
    }
}
