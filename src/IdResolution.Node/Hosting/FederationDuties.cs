using IdResolution.Core.Composition;
using IdResolution.Core.Duties;
using IdResolution.Node.Dashboard;

namespace IdResolution.Node.Hosting;

/// <summary>
/// Runs the node's duties to its parent in the background: keeps its own prefix handle advertising its
/// site (at start and every Federation:SiteRefreshSeconds) and files prefix handle changes (when it has a
/// parent), backing off while the parent cannot be reached. Logs once when filing stops going through and
/// once when it resumes, not at every retry. Each site refresh also checks in with the parent (its own prefix
/// handle filed as it stands), so a node restarted while its parent holds it under takeover learns so, logs
/// and audits it once, and learns of the hand-back from the first filing the parent takes again.
/// </summary>
internal sealed class FederationDuties(CoreServices core, SiteAdvertiser site, FederationFiling filing, TimeProvider time, ILogger<FederationDuties> logger) : BackgroundService
{
    // The one filer, shared with the node's status (its backlog).
    private readonly PrefixFiler? _filer = filing.Filer;
    private readonly TakeoverObserver? _takeover = filing.Takeover;

    private static readonly TimeSpan IdleWait = TimeSpan.FromMilliseconds(500);
    // Short enough that a filing waiting for its child's admission goes within seconds of it.
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var refreshEvery = TimeSpan.FromSeconds(Math.Max(1, core.Options.Federation.SiteRefreshSeconds));
        var nextRefresh = DateTimeOffset.MinValue;
        var backoff = TimeSpan.Zero;
        DateTimeOffset? failingSince = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (time.GetUtcNow() >= nextRefresh)
                {
                    await RefreshSiteAsync(stoppingToken);
                    await CheckInAsync(stoppingToken);
                    nextRefresh = time.GetUtcNow() + refreshEvery;
                }

                if (_filer is null)
                {
                    await Task.Delay(refreshEvery, time, stoppingToken);
                    continue;
                }

                var round = await _filer.RunOnceAsync(stoppingToken);
                await ObserveAsync(round, stoppingToken);
                if (round.Failure is { } failure)
                {
                    backoff = backoff == TimeSpan.Zero ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                    if (failingSince is null)
                    {
                        failingSince = time.GetUtcNow();
                        FederationLog.FilingFailed(logger, core.Options.Federation.Parent.Prefix, backoff, failure);
                    }

                    await Task.Delay(backoff, time, stoppingToken);
                    continue;
                }

                if (failingSince is { } since)
                {
                    FederationLog.FilingResumed(logger, core.Options.Federation.Parent.Prefix, time.GetUtcNow() - since);
                    failingSince = null;
                }

                backoff = TimeSpan.Zero;
                if (round.Idle)
                {
                    await Task.Delay(IdleWait, time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // The duties must outlive any one failure (a store hiccup, a bug in a round); the next round tries again.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                FederationLog.FilingLoopFailed(logger, MaxBackoff, exception);
                await Task.Delay(MaxBackoff, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        if (_filer is not null)
        {
            await _filer.StopAsync(CancellationToken.None);
        }
    }

    private async Task ObserveAsync(FilingRound round, CancellationToken cancellationToken)
    {
        if (_takeover is null || round.TakenOver is not { } takenOver)
        {
            return;
        }

        var parent = core.Options.Federation.Parent.Prefix;
        switch (await _takeover.ObserveAsync(takenOver, round.Failure ?? string.Empty, cancellationToken))
        {
            case TakeoverChange.Observed:
                FederationLog.TakeoverObserved(logger, parent, round.Failure ?? string.Empty);
                break;
            case TakeoverChange.HandedBack:
                FederationLog.HandBackObserved(logger, parent);
                break;
        }
    }

    private async Task CheckInAsync(CancellationToken cancellationToken)
    {
        if (_filer is null || !core.Grammar.TryParse("0.NA/" + core.Jurisdiction.NodePrefix, out var id, out _)
            || await core.Source.GetFromStoreAsync(id.Key, cancellationToken) is not { } own)
        {
            return;
        }

        await ObserveAsync(await _filer.CheckInAsync(own, cancellationToken), cancellationToken);
    }

    private async Task RefreshSiteAsync(CancellationToken cancellationToken)
    {
        var handle = "0.NA/" + core.Jurisdiction.NodePrefix;
        if (await site.RefreshAsync(cancellationToken) is { } written)
        {
            if (written.IsSuccess)
            {
                FederationLog.SiteAdvertised(logger, handle, core.Options.Federation.AdvertisedEndpoints.Grpc);
            }
            else
            {
                FederationLog.SiteNotAdvertised(logger, handle, (int)written.Code, written.Message);
            }
        }
    }
}
