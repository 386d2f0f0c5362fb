namespace IdResolution.Core.Monitoring;

/// <summary>A half-open span of time [<see cref="Start"/>, <see cref="End"/>).</summary>
public readonly record struct TimeRange(DateTimeOffset Start, DateTimeOffset End)
{
    public TimeSpan Length => End > Start ? End - Start : TimeSpan.Zero;

    /// <summary>The part of this range inside <paramref name="bounds"/>; empty (zero length) when they do not meet.</summary>
    public TimeRange ClipTo(TimeRange bounds)
    {
        var start = Start > bounds.Start ? Start : bounds.Start;
        var end = End < bounds.End ? End : bounds.End;
        return new TimeRange(start, end < start ? start : end);
    }
}
