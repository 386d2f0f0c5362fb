using IdResolution.Core.Monitoring;

namespace IdResolution.Core.Tests.Monitoring;

/// <summary>The monthly availability figure: what counts as downtime, what declared maintenance removes, and the edges of the month.</summary>
public sealed class AvailabilityCalculatorTests
{
    private static readonly ReportMonth November = new(2026, 11);
    private static readonly DateTimeOffset Start = November.Start;

    private static TimeRange At(double fromMinutes, double toMinutes) => new(Start.AddMinutes(fromMinutes), Start.AddMinutes(toMinutes));

    private static MonthlyReport Calculate(TimeRange[] incidents, MaintenanceWindow[] maintenance, TimeRange? observed = null) =>
        AvailabilityCalculator.Calculate("88.710", November, observed ?? November.Range, incidents, maintenance, registrations: 12, resolutions: 3400);

    [Fact]
    public void A_ten_minute_outage_in_a_month_with_a_declared_thirty_minute_window_is_measured_against_the_month_less_the_window()
    {
        var outage = At(10_000, 10_010);
        var window = new MaintenanceWindow(At(20_000, 20_030), DeclaredAt: Start.AddMinutes(19_000), "kernel update");

        var report = Calculate([outage], [window]);

        // From the same inputs: the month's minutes less the window, of which the outage's minutes were lost.
        var scheduled = (November.End - November.Start).TotalMinutes - window.When.Length.TotalMinutes;
        var expected = (scheduled - outage.Length.TotalMinutes) / scheduled * 100;
        Assert.Equal(expected, report.AvailabilityPercent!.Value, precision: 9);
        Assert.Equal(TimeSpan.FromMinutes(10), report.Downtime);
        Assert.Equal(TimeSpan.FromMinutes(30), report.Excluded);
        Assert.Equal([outage], report.Incidents);
        Assert.Equal((scheduled - 10) / 60, report.OperatingHours, precision: 9);
        Assert.Equal(12, report.Registrations);
        Assert.Equal(3400, report.Resolutions);
    }

    [Fact]
    public void An_outage_inside_a_declared_window_costs_nothing_and_one_overlapping_its_edge_costs_only_the_part_outside()
    {
        var window = new MaintenanceWindow(At(100, 130), Start, "upgrade");

        Assert.Equal(100.0, Calculate([At(105, 125)], [window]).AvailabilityPercent);
        Assert.Equal(TimeSpan.FromMinutes(5), Calculate([At(120, 135)], [window]).Downtime);
    }

    [Fact]
    public void A_window_declared_after_it_started_is_listed_but_not_excluded()
    {
        var late = new MaintenanceWindow(At(100, 130), Start.AddMinutes(101), "declared during the work");

        var report = Calculate([At(100, 130)], [late]);

        Assert.Equal(TimeSpan.Zero, report.Excluded);
        Assert.Equal(TimeSpan.FromMinutes(30), report.Downtime);
        Assert.Single(report.Maintenance);
        Assert.False(report.Maintenance[0].DeclaredInAdvance);
    }

    [Fact]
    public void Overlapping_incidents_from_a_missed_heartbeat_and_a_failed_probe_count_once()
    {
        var report = Calculate([At(0, 10), At(5, 20), At(20, 25)], []);

        Assert.Equal(TimeSpan.FromMinutes(25), report.Downtime);
        Assert.Equal([At(0, 25)], report.Incidents);
    }

    [Fact]
    public void Incidents_and_windows_are_cut_at_the_edges_of_the_month_and_of_what_was_observed()
    {
        var before = new TimeRange(Start.AddMinutes(-30), Start.AddMinutes(10));
        var afterObserved = At(2_000, 2_100);
        var observed = At(0, 1_440);

        var report = Calculate([before, afterObserved], [], observed);

        Assert.Equal(observed, report.Observed);
        Assert.Equal(TimeSpan.FromMinutes(10), report.Downtime);
        Assert.Equal((1_440.0 - 10) / 1_440 * 100, report.AvailabilityPercent!.Value, precision: 9);
    }

    [Fact]
    public void A_month_that_is_all_declared_maintenance_has_no_availability_figure_rather_than_a_division_by_zero()
    {
        var report = Calculate([], [new MaintenanceWindow(November.Range, Start.AddDays(-1), "migration")]);

        Assert.Null(report.AvailabilityPercent);
        Assert.Contains("n/a", MonthlyReportMarkdown.Render(report), StringComparison.Ordinal);
    }

    [Fact]
    public void A_node_reporting_on_itself_finds_its_incidents_in_the_gaps_of_its_alive_record_beyond_the_marking_interval()
    {
        var minute = TimeSpan.FromMinutes(1);
        var observed = At(0, 600);

        // Marked alive every minute; one restart 40 seconds after the last mark (no incident), one 15-minute stop.
        var alive = new[] { At(0, 100), At(100 + (40.0 / 60), 300), At(316, 600) };

        var gaps = AvailabilityCalculator.Gaps(alive, observed, minute);

        Assert.Equal([At(301, 316)], gaps);
    }

    [Fact]
    public void The_document_lists_the_figures_the_incidents_and_the_windows()
    {
        var report = Calculate([At(10_000, 10_010)], [new MaintenanceWindow(At(20_000, 20_030), Start, "kernel | update")]);

        var text = MonthlyReportMarkdown.Render(report);

        Assert.Contains("# Monthly report 2026-11 — node 88.710", text, StringComparison.Ordinal);
        Assert.Contains($"| Availability | {report.AvailabilityPercent!.Value.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)} % |", text, StringComparison.Ordinal);
        Assert.Contains("| 2026-11-07 22:40 UTC | 2026-11-07 22:50 UTC | 10.0 |", text, StringComparison.Ordinal);
        Assert.Contains("| yes | kernel / update |", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-11", true)]
    [InlineData("2026-13", false)]
    [InlineData("11-2026", false)]
    [InlineData("", false)]
    public void A_month_is_written_year_dash_month(string text, bool valid) =>
        Assert.Equal(valid, ReportMonth.TryParse(text, out _));
}
