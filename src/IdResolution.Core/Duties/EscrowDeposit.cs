using IdResolution.Core.Storage;
using IdResolution.Core.Telemetry;

namespace IdResolution.Core.Duties;

/// <summary>
/// This node's side of the escrow its parent keeps: the parent reads the change log after the position it
/// has applied durably, so each read tells this node how far the parent got (kept as a cursor in the store,
/// shared by every instance). From it the node knows how far behind the parent is, in entries and seconds,
/// and whether retention is about to drop entries the parent has not applied (then the parent would have
/// to start again from a dump): it warns <see cref="WarningLead"/> ahead, in a metric and in <c>/readyz</c>.
/// Retention itself is not held back: the log must not grow without bound because a parent is away.
/// </summary>
public sealed class EscrowDeposit
{
    public const string AppliedCursor = "escrow.parent-applied";

    /// <summary>How far ahead retention is looked at: time for an operator to bring the parent back or widen retention.</summary>
    public static readonly TimeSpan WarningLead = TimeSpan.FromHours(1);

    /// <summary>Entries counted behind the parent at most; more are reported as this many.</summary>
    public const int MaxCountedLag = 100_000;

    private readonly IChangeFeed _feed;
    private readonly INodeState _state;
    private readonly IChangeRetention? _retention;
    private readonly TimeProvider _time;
    private DepositStatus _last = DepositStatus.NeverRead;

    public EscrowDeposit(IChangeFeed feed, INodeState state, IChangeRetention? retention, TimeProvider time, NodeMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(metrics);
        _feed = feed;
        _state = state;
        _retention = retention;
        _time = time;
        metrics.ObserveEscrowDeposit(() => Volatile.Read(ref _last).LagEntries, () => Volatile.Read(ref _last).LagSeconds, () => Volatile.Read(ref _last).AtRisk ? 1 : 0);
    }

    /// <summary>The status found last (by <see cref="ReadStatusAsync"/>), without reading the store.</summary>
    public DepositStatus Last => Volatile.Read(ref _last);

    /// <summary>The parent asked for the changes after <paramref name="position"/>: it holds everything up to it.</summary>
    public ValueTask RecordAppliedAsync(long position, CancellationToken cancellationToken) =>
        _state.WriteCursorAsync(AppliedCursor, position, cancellationToken);

    public async ValueTask<DepositStatus> ReadStatusAsync(CancellationToken cancellationToken)
    {
        var status = DepositStatus.NeverRead;
        if (await _state.ReadCursorAsync(AppliedCursor, cancellationToken).ConfigureAwait(false) is { } applied)
        {
            var now = _time.GetUtcNow();
            var (entries, oldest, trimmed) = await CountAfterAsync(applied, cancellationToken).ConfigureAwait(false);
            var dropped = _retention is null ? 0 : await _retention.DroppedThroughAsync(now + WarningLead, cancellationToken).ConfigureAwait(false);
            status = new DepositStatus(applied, entries, oldest is { } at ? Math.Max(0, (now - at).TotalSeconds) : 0, trimmed || (dropped > applied && entries > 0), trimmed);
        }

        Volatile.Write(ref _last, status);
        return status;
    }

    private async ValueTask<(long Entries, DateTimeOffset? Oldest, bool Trimmed)> CountAfterAsync(long applied, CancellationToken cancellationToken)
    {
        var (count, after) = (0L, applied);
        DateTimeOffset? oldest = null;
        while (count < MaxCountedLag)
        {
            var page = await _feed.ReadChangesAsync(after, 1000, cancellationToken).ConfigureAwait(false);
            if (page.Trimmed)
            {
                // The parent's position is gone already: how much it lacks is unknown, so the most is reported.
                return (MaxCountedLag, null, true);
            }

            oldest ??= page.Entries.Count > 0 ? page.Entries[0].CommittedAt : null;
            count += page.Entries.Count;
            if (page.Entries.Count == 0 && page.Next == after)
            {
                break;
            }

            after = page.Next;
        }

        return (Math.Min(count, MaxCountedLag), oldest, false);
    }
}

/// <summary>
/// How far the parent's escrow is behind this node: the position it has applied (null before its first read),
/// the entries after it and the age of the oldest, and whether retention will drop some of them within
/// <see cref="EscrowDeposit.WarningLead"/> (<see cref="Trimmed"/>: it dropped some already, the parent must read a dump).
/// </summary>
public sealed record DepositStatus(long? Applied, long LagEntries, double LagSeconds, bool AtRisk, bool Trimmed = false)
{
    public static readonly DepositStatus NeverRead = new(null, 0, 0, false);
}
