using System.Collections.Concurrent;
using IdResolution.Core.Federation;

namespace IdResolution.Core.Tests.Support;

/// <summary>
/// A unit-test double of the node link: other nodes as functions, by node prefix, with every call counted.
/// It drives Core's federated path; the real gRPC link is tested against real servers in its own project,
/// and whole hierarchies of real node processes in the node's tests.
/// </summary>
internal sealed class ScriptedLink : INodeLink
{
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);

    /// <summary>GetReferral answers, by the prefix of the node asked.</summary>
    public Dictionary<string, Func<string, RemoteAnswer>> Referrals { get; } = new(StringComparer.Ordinal);

    /// <summary>Resolve answers, by the prefix of the node asked.</summary>
    public Dictionary<string, Func<string, RemoteAnswer>> Resolves { get; } = new(StringComparer.Ordinal);

    /// <summary>Nodes that cannot be reached (calls throw), and whether their circuit is open.</summary>
    public ConcurrentDictionary<string, bool> Down { get; } = new(StringComparer.Ordinal);

    /// <summary>Holds every GetReferral until released, so concurrent callers pile up on one lookup.</summary>
    public TaskCompletionSource? ReferralGate { get; set; }

    public int Calls(string method, string node) => _calls.GetValueOrDefault(method + "@" + node);

    public async ValueTask<RemoteAnswer> GetReferralAsync(RemoteNode node, string handle, CancellationToken cancellationToken)
    {
        Count("referral", node);
        if (ReferralGate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        ThrowIfDown(node);
        return Referrals[node.Prefix](handle);
    }

    public ValueTask<RemoteAnswer> ResolveAsync(RemoteNode node, string handle, bool authoritative, CancellationToken cancellationToken)
    {
        Count("resolve", node);
        ThrowIfDown(node);
        return ValueTask.FromResult(Resolves[node.Prefix](handle));
    }

    public ValueTask<IReadOnlyList<FilingResult>> FileAsync(RemoteNode parent, IReadOnlyList<Filing> filings, CancellationToken cancellationToken) =>
        throw new NotSupportedException("filings are applied through the registrar in these tests");

    public ValueTask<HeartbeatAck> HeartbeatAsync(RemoteNode parent, Core.Monitoring.HeartbeatFigures figures, CancellationToken cancellationToken) =>
        throw new NotSupportedException("heartbeats are not sent in these tests");

    public ValueTask ReadChangesAsync(RemoteNode child, long after, int batch, Func<ChangeFeedPage, CancellationToken, ValueTask> apply, CancellationToken cancellationToken) =>
        throw new NotSupportedException("escrow is not read in these tests");

    public ValueTask ReadDumpAsync(RemoteNode child, int batch, Func<DumpPage, CancellationToken, ValueTask> apply, CancellationToken cancellationToken) =>
        throw new NotSupportedException("escrow is not read in these tests");

    public bool IsCircuitOpen(RemoteNode node) => Down.TryGetValue(node.Prefix, out var open) && open;

    private void Count(string method, RemoteNode node) => _calls.AddOrUpdate(method + "@" + node.Prefix, 1, (_, n) => n + 1);

    private void ThrowIfDown(RemoteNode node)
    {
        if (Down.TryGetValue(node.Prefix, out var open))
        {
            throw new RemoteUnavailableException(node.Id, open, $"node {node.Prefix} does not answer");
        }
    }
}
