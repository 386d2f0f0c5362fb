namespace IdResolution.Cql.Cluster;

/// <summary>
/// Capped exponential back-off with ±20 % jitter, so that many clients that lost the same node do not
/// knock on it in step. It only ever answers "wait this long", never "give up".
/// </summary>
internal sealed record ReconnectBackoff(TimeSpan BaseDelay, TimeSpan MaxDelay)
{
    public TimeSpan Delay(int failedAttempts)
    {
        // Past 2^20 the cap has long been reached; the exponent stays bounded so the product cannot overflow.
        var exponent = Math.Clamp(failedAttempts - 1, 0, 20);
        var raw = Math.Min(BaseDelay.TotalMilliseconds * Math.Pow(2, exponent), MaxDelay.TotalMilliseconds);
        var jittered = raw * (0.8 + (0.4 * Random.Shared.NextDouble()));
        return TimeSpan.FromMilliseconds(Math.Clamp(jittered, 1, MaxDelay.TotalMilliseconds));
    }
}
