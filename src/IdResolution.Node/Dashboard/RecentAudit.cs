using IdResolution.Core.Security;

namespace IdResolution.Node.Dashboard;

/// <summary>
/// The audit trail with the newest entries this instance appended kept in memory, for the status: reading
/// the trail's files once a second would cost a day's file per read on a busy node. Appends go to the
/// trail first and are remembered only once durable; queries go to the trail.
/// </summary>
internal sealed class RecentAudit(IAuditLog trail) : IAuditLog
{
    public const int Capacity = 20;

    private readonly Queue<AuditEntry> _newest = new(Capacity);

    public IAuditLog Trail => trail;

    /// <summary>The newest entries, newest first.</summary>
    public IReadOnlyList<AuditEntry> Newest
    {
        get
        {
            lock (_newest)
            {
                return [.. _newest.Reverse()];
            }
        }
    }

    public async ValueTask AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        await trail.AppendAsync(entries, cancellationToken);
        lock (_newest)
        {
            // Only the last Capacity entries can stay; a batch of thousands need not pass through the queue.
            for (var i = Math.Max(0, entries.Count - Capacity); i < entries.Count; i++)
            {
                var entry = entries[i];
                if (_newest.Count == Capacity)
                {
                    _newest.Dequeue();
                }

                _newest.Enqueue(entry);
            }
        }
    }

    public ValueTask<IReadOnlyList<AuditEntry>> QueryAsync(string? prefix, DateTimeOffset since, DateTimeOffset until, int limit, CancellationToken cancellationToken) =>
        trail.QueryAsync(prefix, since, until, limit, cancellationToken);
}
