using IdResolution.Core.Monitoring;
using Microsoft.Extensions.Time.Testing;

namespace IdResolution.Core.Tests.Monitoring;

/// <summary>A child's state from the age of its last heartbeat: up below two intervals, late from two, down from three.</summary>
public sealed class ChildHeartbeatsTests
{
    private const string Child = "88.710.1";
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset Started = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    private static HeartbeatFigures Figures(long registrations, long resolutions, DateTimeOffset? startedAt = null) =>
        new(resolutions, registrations, Errors: 0, TimeSpan.FromMinutes(5), "1.0.0", FeedLastPosition: 7, FilingBacklog: 0, startedAt ?? Started.AddMinutes(-5));

    [Theory]
    [InlineData(0, ChildState.Up, 0)]
    [InlineData(59, ChildState.Up, 0)]
    [InlineData(60, ChildState.Late, 60)]
    [InlineData(89, ChildState.Late, 60)]
    [InlineData(90, ChildState.Down, 90)]
    [InlineData(3600, ChildState.Down, 90)]
    public void A_child_is_late_after_two_intervals_without_a_heartbeat_and_down_after_three(int silentSeconds, ChildState expected, int sinceSeconds)
    {
        var time = new FakeTimeProvider(Started);
        var heartbeats = new ChildHeartbeats(Interval, time);
        heartbeats.Record(Child, Figures(1, 2));

        time.Advance(TimeSpan.FromSeconds(silentSeconds));
        var status = heartbeats.StatusOf(Child);

        Assert.Equal(expected, status.State);
        Assert.Equal(expected == ChildState.Up ? Started : Started.AddSeconds(sinceSeconds), status.Since);
        Assert.Equal(Started, status.LastHeartbeat);
    }

    [Fact]
    public void A_child_that_comes_back_is_up_since_its_first_heartbeat_after_the_gap_and_stays_up_while_they_keep_coming()
    {
        var time = new FakeTimeProvider(Started);
        var heartbeats = new ChildHeartbeats(Interval, time);
        heartbeats.Record(Child, Figures(1, 2));
        time.Advance(TimeSpan.FromMinutes(10));
        heartbeats.Record(Child, Figures(1, 2));
        var back = time.GetUtcNow();
        time.Advance(Interval);
        heartbeats.Record(Child, Figures(1, 2));
        time.Advance(Interval);
        heartbeats.Record(Child, Figures(1, 2));

        var status = heartbeats.StatusOf(Child);

        Assert.Equal(ChildState.Up, status.State);
        Assert.Equal(back, status.Since);
    }

    [Fact]
    public void A_child_never_heard_from_is_unknown_for_three_intervals_after_the_parent_starts_then_down_since_the_start()
    {
        var time = new FakeTimeProvider(Started);
        var heartbeats = new ChildHeartbeats(Interval, time);

        var early = heartbeats.StatusOf(Child);
        time.Advance(Interval * 3);
        var later = heartbeats.StatusOf(Child);

        Assert.Equal((ChildState.Unknown, Started, (DateTimeOffset?)null), (early.State, early.Since, early.LastHeartbeat));
        Assert.Equal((ChildState.Down, Started, (DateTimeOffset?)null), (later.State, later.Since, later.LastHeartbeat));
    }

    [Fact]
    public void The_alive_mark_of_a_heartbeat_counts_what_the_child_did_since_its_previous_heartbeat_of_the_same_run()
    {
        var time = new FakeTimeProvider(Started);
        var heartbeats = new ChildHeartbeats(Interval, time);
        var first = heartbeats.Record(Child, Figures(registrations: 10, resolutions: 100));
        time.Advance(Interval);
        var second = heartbeats.Record(Child, Figures(registrations: 15, resolutions: 160));
        time.Advance(Interval);
        var restarted = heartbeats.Record(Child, Figures(registrations: 2, resolutions: 3, startedAt: time.GetUtcNow()));

        Assert.Equal((10L, 100L), (first.Registrations, first.Resolutions));
        Assert.Equal((5L, 60L, Started.AddMinutes(-5), Started + Interval), (second.Registrations, second.Resolutions, second.Start, second.At));
        Assert.Equal((2L, 3L, time.GetUtcNow()), (restarted.Registrations, restarted.Resolutions, restarted.Start));
    }

    [Fact]
    public void A_child_silent_for_two_intervals_in_the_same_process_starts_a_new_run_in_the_journal_so_the_silence_is_a_gap()
    {
        var time = new FakeTimeProvider(Started);
        var heartbeats = new ChildHeartbeats(Interval, time);
        var first = heartbeats.Record(Child, Figures(1, 2));
        time.Advance(Interval);
        var onTime = heartbeats.Record(Child, Figures(1, 3));
        time.Advance(Interval * 3);
        var afterSilence = heartbeats.Record(Child, Figures(1, 4));
        var resumed = time.GetUtcNow();
        time.Advance(Interval);
        var next = heartbeats.Record(Child, Figures(1, 5));

        Assert.Equal(Started.AddMinutes(-5), first.Start);
        Assert.Equal(first.Start, onTime.Start);
        Assert.Equal((resumed, 1L), (afterSilence.Start, afterSilence.Resolutions));
        Assert.Equal((resumed, 1L), (next.Start, next.Resolutions));
        var gaps = AvailabilityCalculator.Gaps([new TimeRange(first.Start, onTime.At), new TimeRange(afterSilence.Start, next.At)],
            new TimeRange(first.Start, next.At), Interval * 2);
        Assert.Equal([new TimeRange(onTime.At + (Interval * 2), resumed)], gaps);
    }
}
