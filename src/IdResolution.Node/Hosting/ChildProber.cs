using IdResolution.Core.Composition;
using IdResolution.Core.Federation;
using IdResolution.Core.Monitoring;
using IdResolution.Core.Security;

namespace IdResolution.Node.Hosting;

/// <summary>
/// The parent's own check of its children, beside their heartbeats: every <c>Duties:HeartbeatSeconds</c>, a referral
/// lookup of <see cref="LinkProbe"/>'s handle at each active child's filed sites, through the node link (timeout,
/// breaker, bounded retry). Any answer means the child serves; a failed probe journals the stretch since the first
/// failure as an incident of the child's monthly report, so a child that beats but cannot be reached by others
/// still shows. Logged once when a child stops answering and once when it answers again.
/// </summary>
internal sealed class ChildProber(CoreServices core, INodeLink link, IOperationsJournal journal, DutiesOptions options, TimeProvider time, ILogger<ChildProber> logger)
    : BackgroundService
{
    private static readonly Caller Reader = Caller.Administrator("child probe", "local");

    private readonly Dictionary<string, DateTimeOffset> _failingSince = new(StringComparer.OrdinalIgnoreCase);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.HeartbeatSeconds);
        using var timer = new PeriodicTimer(interval, time);
        while (await TimerTicks.NextAsync(timer, stoppingToken))
        {
            try
            {
                await ProbeAllAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A store or journal hiccup must not end the probing; the next round tries again.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                DutiesLog.ChildProbeRoundFailed(logger, interval, exception);
            }
        }
    }

    private async Task ProbeAllAsync(CancellationToken cancellationToken)
    {
        var listed = await core.Nodes.ListAsync(Reader, cancellationToken);
        if (!listed.IsSuccess)
        {
            return;
        }

        var children = listed.Value.Where(n => !n.Suspended && MonthlyReports.IsNodeName(n.Prefix))
            .Select(n => RemoteNode.FromSites(n.Prefix, n.Sites))
            .Where(n => n.Endpoints.Count > 0)
            .ToList();
        var probes = await Task.WhenAll(children.Select(child => ProbeAsync(child, cancellationToken)));
        foreach (var (child, started, failure) in probes)
        {
            if (failure is not null)
            {
                if (!_failingSince.TryGetValue(child, out var since))
                {
                    since = started;
                    _failingSince[child] = since;
                    DutiesLog.ChildProbeFailed(logger, child, failure);
                }

                await journal.RecordProbeFailureAsync(child, new TimeRange(since, time.GetUtcNow()), cancellationToken);
            }
            else if (_failingSince.Remove(child, out var since))
            {
                DutiesLog.ChildProbeResumed(logger, child, time.GetUtcNow() - since);
            }
        }

        // A child no longer probed (suspended, removed, its sites withdrawn) starts afresh if it is probed again.
        foreach (var gone in _failingSince.Keys.Where(prefix => !children.Any(c => string.Equals(c.Prefix, prefix, StringComparison.OrdinalIgnoreCase))).ToList())
        {
            _failingSince.Remove(gone);
        }
    }

    private async Task<(string Child, DateTimeOffset Started, string? Failure)> ProbeAsync(RemoteNode child, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        try
        {
            await link.GetReferralAsync(child, LinkProbe.HandleFor(child.Prefix), cancellationToken);
            return (child.Prefix, started, null);
        }
        catch (RemoteUnavailableException unavailable)
        {
            return (child.Prefix, started, unavailable.Message);
        }
    }
}
