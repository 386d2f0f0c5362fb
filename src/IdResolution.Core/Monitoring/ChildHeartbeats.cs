using System.Collections.Concurrent;

namespace IdResolution.Core.Monitoring;

/// <summary>
/// The parent's view of its children's heartbeats, in memory: the last figures of each child and the rule that
/// turns their age into a state (up below two intervals, late from two, down from three). The durable record is the
/// alive mark <see cref="Record"/> returns, which the caller writes to the operations journal.
/// </summary>
public sealed class ChildHeartbeats
{
    private readonly ConcurrentDictionary<string, Beat> _last = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _started;

    public ChildHeartbeats(TimeSpan interval, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(time);
        _interval = interval;
        _time = time;
        _started = time.GetUtcNow();
    }

    public TimeSpan Interval => _interval;

    /// <summary>
    /// Keeps a heartbeat of <paramref name="prefix"/> received now; the alive mark to journal for it, with the
    /// registrations and resolutions counted since the child's previous heartbeat of the same run. The mark's start is
    /// the child's process start, or the first heartbeat after a silence of two intervals or more in the same process.
    /// </summary>
    public AliveMark Record(string prefix, HeartbeatFigures figures)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        ArgumentNullException.ThrowIfNull(figures);
        var now = _time.GetUtcNow();
        Beat? previous = null;
        var beat = _last.AddOrUpdate(prefix,
            _ => new Beat(now, now, figures.StartedAt, figures),
            (_, last) =>
            {
                previous = last;
                var onTime = now - last.At < _interval * 2;
                // The journal takes a run as alive from its start to its last mark. A child that fell silent (frozen, cut
                // off) and speaks again in the same process starts a new run here, so the silence is a gap in the report.
                var runStart = last.Figures.StartedAt != figures.StartedAt ? figures.StartedAt : onTime ? last.RunStart : now;
                return new Beat(onTime ? last.UpSince : now, now, runStart, figures);
            });
        var sameRun = previous is not null && previous.Figures.StartedAt == figures.StartedAt;
        return new AliveMark(prefix, beat.RunStart, beat.At,
            sameRun ? Math.Max(0, figures.Registrations - previous!.Figures.Registrations) : figures.Registrations,
            sameRun ? Math.Max(0, figures.Resolutions - previous!.Figures.Resolutions) : figures.Resolutions);
    }

    public ChildHeartbeatStatus StatusOf(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var now = _time.GetUtcNow();
        if (!_last.TryGetValue(prefix, out var beat))
        {
            var down = _started + (_interval * 3);
            return now < down
                ? new ChildHeartbeatStatus(prefix, ChildState.Unknown, _started, null, null)
                : new ChildHeartbeatStatus(prefix, ChildState.Down, _started, null, null);
        }

        var silent = now - beat.At;
        var (state, since) = silent < _interval * 2 ? (ChildState.Up, beat.UpSince)
            : silent < _interval * 3 ? (ChildState.Late, beat.At + (_interval * 2))
            : (ChildState.Down, beat.At + (_interval * 3));
        return new ChildHeartbeatStatus(prefix, state, since, beat.At, beat.Figures);
    }

    /// <summary>The last heartbeat; <see cref="RunStart"/> is the start of the stretch of heartbeats it belongs to, as journaled.</summary>
    private sealed record Beat(DateTimeOffset UpSince, DateTimeOffset At, DateTimeOffset RunStart, HeartbeatFigures Figures);
}
