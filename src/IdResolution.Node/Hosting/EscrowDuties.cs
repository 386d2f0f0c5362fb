using System.Collections.Concurrent;
using IdResolution.Core.Composition;
using IdResolution.Core.Duties;
using IdResolution.Core.Federation;
using IdResolution.Core.Security;
using IdResolution.Node.Escrow;

namespace IdResolution.Node.Hosting;

/// <summary>
/// Keeps the escrow copy of every admitted child (suspended ones too: a copy is for the day the child is
/// lost): one loop per child that pulls its change log (<see cref="EscrowPuller"/>), at once again while it
/// finds new entries, after <c>Escrow:PollMilliseconds</c> once caught up, and backing off while the child
/// cannot be read (logged once when that starts and once when it ends). The children are read again every
/// few seconds, so a new admission starts its loop and a child whose sites change is called at the new ones.
/// </summary>
internal sealed class EscrowDuties(CoreServices core, EscrowCopies copies, EscrowOptions options, TimeProvider time, ILogger<EscrowDuties> logger) : BackgroundService
{
    private static readonly Caller Reader = Caller.Administrator("node (escrow)", "local");
    private static readonly TimeSpan ChildrenRefresh = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    // The newest known endpoints of each child, read by its loop at every round.
    private readonly ConcurrentDictionary<string, RemoteNode> _children = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (copies.Puller is not { } puller)
        {
            EscrowLog.Off(logger, copies.OffReason);
            return;
        }

        var loops = new Dictionary<string, Task>(StringComparer.Ordinal);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var listed = await core.Nodes.ListAsync(Reader, stoppingToken);
                if (listed.IsSuccess)
                {
                    foreach (var child in listed.Value)
                    {
                        var node = RemoteNode.FromSites(child.Prefix, child.Sites);
                        if (node.Endpoints.Count == 0)
                        {
                            continue;
                        }

                        _children[child.Prefix] = node;
                        if (!loops.ContainsKey(child.Prefix))
                        {
                            loops[child.Prefix] = PullLoopAsync(puller, child.Prefix, stoppingToken);
                        }
                    }
                }

                await Task.Delay(ChildrenRefresh, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // A store hiccup while listing the children must not end the escrow; the next refresh tries again.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                EscrowLog.LoopFailed(logger, "(children)", MaxBackoff, exception);
                await Task.Delay(MaxBackoff, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        await Task.WhenAll(loops.Values);
    }

    private async Task PullLoopAsync(EscrowPuller puller, string prefix, CancellationToken stoppingToken)
    {
        // Off the children loop's thread: a dump of a large child must not hold up the others.
        await Task.Yield();
        var poll = TimeSpan.FromMilliseconds(options.PollMilliseconds);
        var backoff = TimeSpan.Zero;
        DateTimeOffset? failingSince = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var round = await puller.PullAsync(_children[prefix], stoppingToken);
                if (failingSince is { } since)
                {
                    EscrowLog.Resumed(logger, prefix, time.GetUtcNow() - since);
                    failingSince = null;
                }

                backoff = TimeSpan.Zero;
                if (round.Dumps > 0)
                {
                    EscrowLog.Dumped(logger, prefix, round.Dumps, (await puller.Store.PositionAsync(prefix, stoppingToken)).Applied);
                }

                if (round.Applied == 0)
                {
                    await Task.Delay(poll, time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (RemoteUnavailableException unavailable)
            {
                backoff = backoff == TimeSpan.Zero ? FirstBackoff : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                if (failingSince is null)
                {
                    failingSince = time.GetUtcNow();
                    EscrowLog.Failing(logger, prefix, backoff, unavailable.Message);
                }

                await Task.Delay(backoff, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
#pragma warning disable CA1031 // The copy must outlive any one failure (a damaged page, a store hiccup); the next round starts from what was applied.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                EscrowLog.LoopFailed(logger, prefix, MaxBackoff, exception);
                await Task.Delay(MaxBackoff, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
