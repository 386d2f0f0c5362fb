namespace IdResolution.Storage.Cassandra;

/// <summary>
/// Cursors and leases of the node (<see cref="Core.Storage.INodeState"/>) in Cassandra. A cursor is a plain
/// row, last writer wins. A lease is a row written only by lightweight transactions and kept alive by its
/// TTL: taken with <c>INSERT … IF NOT EXISTS</c>, renewed and released only by its holder (<c>IF owner = ?</c>),
/// and gone by itself when its holder stops renewing it.
/// </summary>
internal sealed class CassandraNodeState(ICassandraSession session)
{
    public ValueTask<long?> ReadCursorAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return session.ReadCursorAsync(name, cancellationToken);
    }

    public ValueTask WriteCursorAsync(string name, long value, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return session.WriteCursorAsync(name, value, cancellationToken);
    }

    /// <summary>
    /// A lease write whose answer was lost counts as not taken: the caller holds off, and its next attempt
    /// finds the lease its own (and renews it) or someone else's. Claiming it could let two owners run at once.
    /// </summary>
    public async ValueTask<bool> TryAcquireLeaseAsync(string name, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);

        // Whole seconds, rounded up: a lease outlives what its holder counts on, never the reverse.
        var ttl = (int)Math.Min(Math.Ceiling(duration.TotalSeconds), int.MaxValue);
        try
        {
            var (applied, holder) = await session.InsertLeaseAsync(name, owner, ttl, cancellationToken).ConfigureAwait(false);
            if (applied)
            {
                return true;
            }

            return string.Equals(holder, owner, StringComparison.Ordinal)
                && await session.RenewLeaseAsync(name, owner, ttl, cancellationToken).ConfigureAwait(false);
        }
        catch (CasOutcomeUnknownException)
        {
            return false;
        }
    }

    /// <summary>A release whose answer was lost is left to the TTL.</summary>
    public async ValueTask ReleaseLeaseAsync(string name, string owner, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        try
        {
            await session.ReleaseLeaseAsync(name, owner, cancellationToken).ConfigureAwait(false);
        }
        catch (CasOutcomeUnknownException)
        {
        }
    }
}
