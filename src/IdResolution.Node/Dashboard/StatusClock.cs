using IdResolution.Core.Telemetry;

namespace IdResolution.Node.Dashboard;

/// <summary>
/// Once a second: copies the running totals into the last hour's history and ranks the busiest prefixes.
/// The only writer of <see cref="TrafficHistory"/>.
/// </summary>
internal sealed class StatusClock(TrafficRecorder recorder, TrafficHistory history, NodeMetrics metrics, TimeProvider time) : BackgroundService
{
    /// <summary>How many prefixes the status lists.</summary>
    public const int TopPrefixCount = 20;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                history.Tick(time.GetUtcNow(), recorder.Read(), metrics.Prefixes.Take(TopPrefixCount));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
