using IdResolution.Core.Composition;
using IdResolution.Core.Duties;
using IdResolution.Core.Federation;
using IdResolution.Core.Storage;
using IdResolution.Node.Dashboard;

namespace IdResolution.Node.Hosting;

/// <summary>
/// A child's heartbeat to its parent: every <c>Duties:HeartbeatSeconds</c>, the figures its own status page shows
/// (read from <see cref="NodeStatusBuilder"/>, so no traffic is counted twice) through the node link. A parent that
/// cannot be reached or refuses (not admitted, suspended) is logged once when the beats stop going through and once
/// when they resume; the next beat goes at the next interval, whatever happened to this one. Nodes without a parent send nothing.
/// </summary>
internal sealed class HeartbeatSender(
    CoreServices core,
    INodeLink link,
    NodeStatusBuilder status,
    EscrowDeposit escrow,
    DutiesOptions options,
    TimeProvider time,
    ILogger<HeartbeatSender> logger) : BackgroundService
{
    private DateTimeOffset? _failingSince;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (core.Referrals.Parent is not { } parent)
        {
            return;
        }

        var interval = TimeSpan.FromSeconds(options.HeartbeatSeconds);
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            await BeatAsync(parent, interval, stoppingToken);
        }
        while (await TimerTicks.NextAsync(timer, stoppingToken));
    }

    private async Task BeatAsync(RemoteNode parent, TimeSpan interval, CancellationToken cancellationToken)
    {
        string? failure;
        try
        {
            var ack = await link.HeartbeatAsync(parent, await FiguresAsync(cancellationToken), cancellationToken);
            failure = ack.Code == Core.HandleResponseCode.Success ? null : $"refused with Handle code {(int)ack.Code}: {ack.Message}";
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
#pragma warning disable CA1031 // Whatever failed (the parent unreachable, the status unreadable), the loop goes on; the next beat tries again.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            failure = exception.Message;
        }

        if (failure is not null)
        {
            if (_failingSince is null)
            {
                _failingSince = time.GetUtcNow();
                DutiesLog.HeartbeatFailed(logger, parent.Prefix, interval, failure);
            }
        }
        else if (_failingSince is { } since)
        {
            _failingSince = null;
            DutiesLog.HeartbeatResumed(logger, parent.Prefix, time.GetUtcNow() - since);
        }
    }

    private async Task<Core.Monitoring.HeartbeatFigures> FiguresAsync(CancellationToken cancellationToken)
    {
        var reply = await status.BuildAsync(cancellationToken);
        var feedPosition = core.Store is IChangeFeed feed ? await feed.LastChangePositionAsync(cancellationToken) : 0;
        return StatusHeartbeatFigures.From(reply, feedPosition, escrow.Last.Applied);
    }
}
