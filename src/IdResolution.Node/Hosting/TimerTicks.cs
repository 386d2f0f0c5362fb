namespace IdResolution.Node.Hosting;

/// <summary>The wait of the duties' periodic loops: the next tick, or false once the node stops (never an exception at shutdown).</summary>
internal static class TimerTicks
{
    public static async Task<bool> NextAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
