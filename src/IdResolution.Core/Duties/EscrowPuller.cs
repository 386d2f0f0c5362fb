using System.Collections.Concurrent;
using IdResolution.Core.Escrow;
using IdResolution.Core.Federation;
using IdResolution.Core.Telemetry;

namespace IdResolution.Core.Duties;

/// <summary>
/// The parent's side of the escrow: one round reads a child's change log after the position its copy has
/// applied, page by page, each page durable (records and position together) before the next is read, until
/// it has caught up. A copy with no position yet, one whose dump was left half applied (the parent stopped
/// during it), and one whose position the child's log no longer holds (retention trimmed it) are rebuilt from
/// a dump first; the log is then read after the dump's position. Nothing is skipped: a read that failed
/// part-way is read again after the last page applied, and applying is idempotent by (key, version).
/// </summary>
public sealed class EscrowPuller
{
    /// <summary>Children with their own lag gauges at most; the rest are reported together as <see cref="OtherNodes"/>.</summary>
    public const int MaxTaggedNodes = 256;

    public const string OtherNodes = "other";

    private readonly IEscrowStore _store;
    private readonly INodeLink _link;
    private readonly int _batch;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, EscrowLag> _lags = new(StringComparer.Ordinal);

    public EscrowPuller(IEscrowStore store, INodeLink link, int batch, TimeProvider time, NodeMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(link);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(metrics);
        _store = store;
        _link = link;
        _batch = batch;
        _time = time;
        metrics.ObserveEscrowCopies(() => Tagged(lag => lag.Entries), () => Tagged(lag => lag.Seconds));
    }

    /// <summary>The store the copies are kept in.</summary>
    public IEscrowStore Store => _store;

    /// <summary>How far behind each child's copy was found last (by node id).</summary>
    public EscrowLag? LagOf(string nodeId) => _lags.TryGetValue(nodeId, out var lag) ? lag : null;

    /// <summary>
    /// Brings <paramref name="child"/>'s copy up to the child's log as it stood when the read began. Throws
    /// <see cref="RemoteUnavailableException"/> when the child cannot be read (the copy keeps what it applied).
    /// </summary>
    public async ValueTask<EscrowRound> PullAsync(RemoteNode child, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(child);
        var position = await _store.PositionAsync(child.Id, cancellationToken).ConfigureAwait(false);
        var dumps = 0;
        if (position.DumpOpen || position.AppliedAt is null)
        {
            await DumpAsync(child, cancellationToken).ConfigureAwait(false);
            dumps++;
        }

        while (true)
        {
            var (applied, trimmed) = await ReadChangesAsync(child, cancellationToken).ConfigureAwait(false);
            if (!trimmed)
            {
                return new EscrowRound(applied, dumps);
            }

            // The log dropped entries this copy lacks: only a dump can bring it back. Twice in one round means
            // the child's retention is shorter than a dump takes; the next round tries again.
            if (dumps > 0)
            {
                return new EscrowRound(applied, dumps);
            }

            await DumpAsync(child, cancellationToken).ConfigureAwait(false);
            dumps++;
        }
    }

    private async ValueTask<(long Applied, bool Trimmed)> ReadChangesAsync(RemoteNode child, CancellationToken cancellationToken)
    {
        var position = (await _store.PositionAsync(child.Id, cancellationToken).ConfigureAwait(false)).Applied;
        var (applied, trimmed) = (0L, false);
        await _link.ReadChangesAsync(child, position, _batch, async (page, token) =>
        {
            // Trimmed, or the child's log ends before what this copy applied (it was restored from an older backup
            // and reuses those positions for new entries): either way only a dump can make the copy right.
            if (page.Trimmed || page.LastPosition < position)
            {
                trimmed = true;
                return;
            }

            if (page.Entries.Count > 0 || page.Next > position)
            {
                await _store.ApplyChangesAsync(child.Id, page.Entries, page.Next, token).ConfigureAwait(false);
                position = Math.Max(position, page.Next);
                applied += page.Entries.Count;
            }

            // Still behind: the oldest entry not applied was committed after the newest applied, so its age is at most this.
            var behind = Math.Max(0, page.LastPosition - position);
            var seconds = behind > 0 && page.Entries.Count > 0 ? Math.Max(0, (_time.GetUtcNow() - page.Entries[^1].CommittedAt).TotalSeconds) : 0;
            if (behind > 0 && page.Entries.Count == 0 && LagOf(child.Id) is { } previous)
            {
                seconds = previous.Seconds;
            }

            _lags[child.Id] = new EscrowLag(behind, seconds, _time.GetUtcNow());
        }, cancellationToken).ConfigureAwait(false);
        return (applied, trimmed);
    }

    private async ValueTask DumpAsync(RemoteNode child, CancellationToken cancellationToken)
    {
        long? position = null;
        await _link.ReadDumpAsync(child, _batch, async (page, token) =>
        {
            if (page.First)
            {
                await _store.BeginDumpAsync(child.Id, token).ConfigureAwait(false);
            }
            else if (position is null)
            {
                throw new InvalidDataException($"node {child.Id}'s dump began without its first page");
            }

            if (page.Records.Count > 0)
            {
                await _store.ApplyDumpAsync(child.Id, page.Records, token).ConfigureAwait(false);
            }

            position = page.Position;
        }, cancellationToken).ConfigureAwait(false);

        // A dump always ends with a page (an empty store's included): none means the stream was cut as it began.
        await _store.EndDumpAsync(child.Id, position ?? throw new InvalidDataException($"node {child.Id}'s dump ended without a page"), cancellationToken).ConfigureAwait(false);
    }

    private IEnumerable<System.Diagnostics.Metrics.Measurement<T>> Tagged<T>(Func<EscrowLag, T> figure)
        where T : struct
    {
        var index = 0;
        foreach (var (node, lag) in _lags.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            // Node ids are admitted prefixes, a small set; the cap keeps the exported series bounded whatever is admitted.
            if (index++ < MaxTaggedNodes)
            {
                yield return new(figure(lag), new KeyValuePair<string, object?>("node", node));
            }
        }
    }
}

/// <summary>What one round did: entries applied from the log, and dumps read (0 when the log was enough).</summary>
public readonly record struct EscrowRound(long Applied, int Dumps);

/// <summary>How far a child's copy was behind the child's log when last read: entries, and an upper bound of the oldest missing entry's age.</summary>
public sealed record EscrowLag(long Entries, double Seconds, DateTimeOffset ReadAt);
