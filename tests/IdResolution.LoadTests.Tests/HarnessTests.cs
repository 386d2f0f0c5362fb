using System.Diagnostics;
using IdResolution.LoadTests.Harness;

namespace IdResolution.LoadTests.Tests;

/// <summary>The load harness's own arithmetic: histogram recording, the open-loop schedule, and the results JSON.</summary>
public sealed class HarnessTests
{
    [Fact]
    public void The_histogram_records_latencies_and_reports_percentiles_in_milliseconds()
    {
        var histogram = new LatencyHistogram();
        for (var i = 1; i <= 1000; i++)
        {
            histogram.RecordMicroseconds(i * 1000);
        }

        var summary = histogram.Summarize();

        Assert.Equal(1000, summary.Count);
        Assert.InRange(summary.P50, 499, 501);
        Assert.InRange(summary.P90, 899, 901);
        Assert.InRange(summary.P99, 989, 991);
        Assert.InRange(summary.P999, 998, 1000.5);
        Assert.InRange(summary.Max, 999, 1000.5);
    }

    [Fact]
    public void Recording_between_timestamps_converts_ticks_and_clamps_to_the_range()
    {
        var histogram = new LatencyHistogram();
        var start = Stopwatch.GetTimestamp();

        histogram.RecordTicks(start, start + Stopwatch.Frequency / 500);
        histogram.RecordTicks(start, start - 5);
        histogram.RecordTicks(start, start + Stopwatch.Frequency * 3600);
        var summary = histogram.Summarize();

        Assert.Equal(3, summary.Count);
        Assert.InRange(summary.P50, 1.99, 2.01);
        Assert.InRange(summary.Max, 59_900, 60_100);
    }

    [Fact]
    public void Merged_histograms_hold_every_callers_latencies()
    {
        var first = new LatencyHistogram();
        var second = new LatencyHistogram();
        first.RecordMicroseconds(100);
        second.RecordMicroseconds(10_000);

        first.Add(second);

        Assert.Equal(2, first.Count);
        Assert.InRange(first.Summarize().Max, 9.99, 10.01);
    }

    [Fact]
    public void The_open_loop_schedule_spaces_calls_evenly_from_the_start_whatever_answers()
    {
        var schedule = new OpenLoopSchedule(1_000_000, 1000);
        var tick = Stopwatch.Frequency / 1000;

        Assert.Equal(1_000_000, schedule.IntendedAt(0));
        Assert.Equal(1_000_000 + (tick * 10), schedule.IntendedAt(10), tolerance: 1);
        Assert.Equal(0, schedule.DueBy(999_999));
        Assert.Equal(1, schedule.DueBy(1_000_000));
        Assert.Equal(11, schedule.DueBy(1_000_000 + (tick * 10)));
        Assert.Equal(1001, schedule.DueBy(1_000_000 + Stopwatch.Frequency));
    }

    [Fact]
    public void A_stall_counts_against_every_call_that_was_due_during_it()
    {
        // 100 calls a second; the server stalls for one second after the first call, then answers at once.
        var schedule = new OpenLoopSchedule(0, 100);
        var histogram = new LatencyHistogram();
        var stallEnds = Stopwatch.Frequency;
        for (var i = 0; i < 200; i++)
        {
            var intended = schedule.IntendedAt(i);
            histogram.RecordTicks(intended, Math.Max(intended, stallEnds) + (Stopwatch.Frequency / 1000));
        }

        var summary = histogram.Summarize();

        // The 100 calls due during the stall waited 1,000 ms down to 10 ms; a closed loop would have sent (and
        // counted) only the first of them, and its p99 would be 1 ms.
        Assert.InRange(summary.P50, 1, 12);
        Assert.InRange(summary.P90, 790, 812);
        Assert.InRange(summary.P99, 970, 992);
        Assert.InRange(summary.Max, 990, 1010);
    }

    [Fact]
    public void Results_json_carries_the_machine_line_the_figures_and_the_ratio_and_reads_back()
    {
        var tally = new RunTally();
        tally.Count(new OperationResult("OK", true, 100));
        tally.Count(new OperationResult("Unavailable", false, 0, "store down"));
        tally.Latency.RecordMicroseconds(1500);
        var baseline = new RunTally();
        baseline.Count(new OperationResult("OK", true));
        baseline.Count(new OperationResult("OK", true));
        var measured = TimeSpan.FromSeconds(2);
        var baselineFigures = ScenarioFigures.From("resolve-hot", "closed", 8, null, measured, baseline);
        var figures = ScenarioFigures.From("resolve-batch-100", "closed", 8, null, measured, tally).Against(baselineFigures);
        var machine = new MachineLine(2, "Test CPU", "10.0.0", "Linux", "abc1234", "1.00 0.50 0.25");

        var json = ResultsFile.ToJson(machine, DateTimeOffset.UnixEpoch, [baselineFigures, figures]);
        var read = ResultsFile.FromJson(json);

        Assert.NotNull(read);
        Assert.Equal(machine, read.Machine);
        var batch = read.Results[1];
        Assert.Equal("resolve-hot", batch.Baseline);
        Assert.Equal(50.0, batch.Ratio);
        Assert.Equal(50.0, batch.IdentifiersPerSecond);
        Assert.Equal(1, batch.Errors);
        Assert.Equal(1, batch.Statuses["Unavailable"]);
        Assert.Equal("store down", batch.FirstError);
        Assert.InRange(batch.LatencyMs.P99, 1.49, 1.51);
        Assert.Contains("\"loadAverage\": \"1.00 0.50 0.25\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void The_table_puts_the_ratio_beside_each_figure()
    {
        var tally = new RunTally();
        tally.Count(new OperationResult("OK", true));
        var figures = ScenarioFigures.From("resolve-hot", "open", 8, 500, TimeSpan.FromSeconds(1), tally);
        var writer = new StringWriter();

        ResultsFile.WriteTable(writer, [figures.Against(figures)]);

        Assert.Contains("| resolve-hot (open 500/s) | 1.00 | resolve-hot | 1 | 1 |", writer.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("resolve-hot --rate 0")]
    [InlineData("resolve-hot --callers x")]
    [InlineData("nonsense")]
    [InlineData("--seconds 5")]
    [InlineData("resolve-cold --store-stall 500")]
    [InlineData("resolve-cold --store-stall 0:10")]
    [InlineData("resolve-cold --store-stall 60001:10")]
    [InlineData("resolve-cold --store-stall 500:0")]
    [InlineData("resolve-cold --node-setting Cache:MaxTtlSeconds")]
    [InlineData("resolve-cold --node-setting --Cache:MaxTtlSeconds=0")]
    [InlineData("federation --own-node")]
    public void Bad_harness_arguments_are_refused_with_a_reason(string line)
    {
        Assert.False(HarnessOptions.TryParse(line.Split(' '), out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }
}
