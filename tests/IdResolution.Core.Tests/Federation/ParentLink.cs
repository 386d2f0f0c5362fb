using System.Collections.Concurrent;
using IdResolution.Core.Federation;
using IdResolution.Core.Monitoring;
using IdResolution.Core.Tests.Support;

namespace IdResolution.Core.Tests.Federation;

/// <summary>The parent as child A's link reaches it: its registrar applying the filings as node 88.709's, counting what it applied.</summary>
internal sealed class ParentLink(Node parent) : INodeLink
{
    public ConcurrentDictionary<(string Handle, long Version, bool Removed), int> Applied { get; } = new();

    public volatile bool Unreachable;

    public ValueTask<RemoteAnswer> GetReferralAsync(RemoteNode node, string handle, CancellationToken cancellationToken) => throw new NotSupportedException();

    public ValueTask<RemoteAnswer> ResolveAsync(RemoteNode node, string handle, bool authoritative, CancellationToken cancellationToken) => throw new NotSupportedException();

    public async ValueTask<IReadOnlyList<FilingResult>> FileAsync(RemoteNode node, IReadOnlyList<Filing> filings, CancellationToken cancellationToken)
    {
        if (Unreachable)
        {
            throw new RemoteUnavailableException(node.Prefix, circuitOpen: false, "the parent is unreachable (test)");
        }

        var results = await parent.Registrar.ApplyFilingsAsync(ChildA.Caller, filings, cancellationToken);
        for (var i = 0; i < results.Count; i++)
        {
            if (results[i].Applied)
            {
                Applied.AddOrUpdate((filings[i].Handle, filings[i].Version, filings[i].Removed), 1, (_, n) => n + 1);
            }
        }

        return results;
    }

    public ValueTask<HeartbeatAck> HeartbeatAsync(RemoteNode parent, HeartbeatFigures figures, CancellationToken cancellationToken) => throw new NotSupportedException();

    public ValueTask ReadChangesAsync(RemoteNode child, long after, int batch, Func<ChangeFeedPage, CancellationToken, ValueTask> apply, CancellationToken cancellationToken) =>
        throw new NotSupportedException("escrow is not read in these tests");

    public ValueTask ReadDumpAsync(RemoteNode child, int batch, Func<DumpPage, CancellationToken, ValueTask> apply, CancellationToken cancellationToken) =>
        throw new NotSupportedException("escrow is not read in these tests");

    public bool IsCircuitOpen(RemoteNode node) => false;
}
