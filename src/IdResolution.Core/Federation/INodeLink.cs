using IdResolution.Core.Monitoring;

namespace IdResolution.Core.Federation;

/// <summary>
/// Calls to other nodes of the hierarchy (implemented over gRPC by IdResolution.Federation; the port is
/// protocol-neutral so the native Handle protocol can be added beside it). Every call has a timeout, a
/// circuit breaker per remote node and a bounded retry, and either answers or throws
/// <see cref="RemoteUnavailableException"/>: nothing waits forever on another node. Resolves and referral
/// lookups may be hedged across a node's sites; filings, heartbeats and escrow reads never are.
/// </summary>
public interface INodeLink
{
    /// <summary>Asks <paramref name="node"/> which node holds the longest registered prefix of <paramref name="handle"/> (303 with a referral, or 301).</summary>
    ValueTask<RemoteAnswer> GetReferralAsync(RemoteNode node, string handle, CancellationToken cancellationToken);

    /// <summary>Resolves <paramref name="handle"/> at <paramref name="node"/> without recursion: its public values, a referral on, or a Handle code.</summary>
    ValueTask<RemoteAnswer> ResolveAsync(RemoteNode node, string handle, bool authoritative, CancellationToken cancellationToken);

    /// <summary>Files prefix handle changes with the parent, in order; one result per filing.</summary>
    ValueTask<IReadOnlyList<FilingResult>> FileAsync(RemoteNode parent, IReadOnlyList<Filing> filings, CancellationToken cancellationToken);

    /// <summary>Sends this node's operating figures to its parent; the parent's answer (Success, or a refusal with its Handle code).</summary>
    ValueTask<HeartbeatAck> HeartbeatAsync(RemoteNode parent, HeartbeatFigures figures, CancellationToken cancellationToken);

    /// <summary>
    /// Reads <paramref name="child"/>'s change log after <paramref name="after"/> (this node is its parent),
    /// <paramref name="batch"/> entries a page, until it has caught up. Each page goes to <paramref name="apply"/>,
    /// which makes it durable before the next page is read; a failed read is retried after the last page applied,
    /// so nothing is skipped. An exception <paramref name="apply"/> throws ends the read and comes out as it is.
    /// </summary>
    ValueTask ReadChangesAsync(RemoteNode child, long after, int batch, Func<ChangeFeedPage, CancellationToken, ValueTask> apply, CancellationToken cancellationToken);

    /// <summary>
    /// Reads a whole dump of <paramref name="child"/>, <paramref name="batch"/> records a page, each page to
    /// <paramref name="apply"/> in turn; a retried read starts a new dump (its first page is marked <see cref="DumpPage.First"/>).
    /// </summary>
    ValueTask ReadDumpAsync(RemoteNode child, int batch, Func<DumpPage, CancellationToken, ValueTask> apply, CancellationToken cancellationToken);

    /// <summary>True while calls to <paramref name="node"/> are refused at once by its open circuit breaker.</summary>
    bool IsCircuitOpen(RemoteNode node);
}
