using IdResolution.Core.Monitoring;
using IdResolution.Node.Dashboard;

namespace IdResolution.Node.Hosting;

/// <summary>
/// Writes this node's own alive mark to the operations journal at start, every minute and at stop, with the
/// registrations and resolutions counted since the previous mark: the record a report on this node is computed from.
/// </summary>
internal sealed class SelfAliveMarks(IOperationsJournal journal, MonthlyReports reports, TrafficRecorder traffic, TimeProvider time, ILogger<SelfAliveMarks> logger) : BackgroundService
{
    private readonly DateTimeOffset _start = time.GetUtcNow();
    // Never disposed: the host may stop the service (the last mark) after disposing it, and a SemaphoreSlim without a wait handle holds nothing to free.
    private readonly SemaphoreSlim _marking = new(1, 1);
    private long _registrations;
    private long _resolutions;

    /// <summary>The first mark is written before the node serves, so a report on this node never finds it unknown.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await MarkAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await MarkAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(MonthlyReports.SelfMarkInterval, time);
        while (await TimerTicks.NextAsync(timer, stoppingToken))
        {
            await MarkAsync(stoppingToken);
        }
    }

    private async Task MarkAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _marking.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            // The figures the status page counts (one listener on the node's counters), not a second count on the hot path.
            var totals = traffic.Read();
            var registrations = totals.Registrations;
            var resolutions = totals.Resolutions;
            await journal.RecordAliveAsync(new AliveMark(reports.Self, _start, time.GetUtcNow(), registrations - _registrations, resolutions - _resolutions), cancellationToken);
            _registrations = registrations;
            _resolutions = resolutions;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // A full disk or a permission problem must not stop the node; the next mark tries again and the gap shows in the report.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            DutiesLog.AliveMarkFailed(logger, MonthlyReports.SelfMarkInterval, exception);
        }
        finally
        {
            _marking.Release();
        }
    }
}
