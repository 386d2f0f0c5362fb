namespace IdResolution.Core.Storage;

/// <summary>
/// Issues record versions: increasing within a process and seeded from the clock, so a handle that
/// is deleted and created again does not reuse a version a stale writer might still hold.
/// </summary>
public sealed class VersionClock
{
    private long _last;

    public VersionClock(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _last = time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
    }

    public long Next(long after = 0)
    {
        while (true)
        {
            var last = Volatile.Read(ref _last);
            var next = Math.Max(last, after) + 1;
            if (Interlocked.CompareExchange(ref _last, next, last) == last)
            {
                return next;
            }
        }
    }
}
