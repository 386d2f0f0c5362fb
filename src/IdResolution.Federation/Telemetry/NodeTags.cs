using System.Collections.Concurrent;

namespace IdResolution.Federation.Telemetry;

/// <summary>
/// The metric tag of each remote node: its id for the first <c>limit</c> distinct nodes, then
/// <see cref="Other"/>. Node ids are admitted prefixes, a small set, but they arrive in referrals from
/// other nodes, so the exported series stay bounded whatever those say.
/// </summary>
internal sealed class NodeTags(int limit)
{
    public const string Other = "other";

    private readonly ConcurrentDictionary<string, string> _tags = new(StringComparer.Ordinal);
    private int _count;

    public string For(string nodeId)
    {
        if (_tags.TryGetValue(nodeId, out var tag))
        {
            return tag;
        }

        if (Interlocked.Increment(ref _count) > limit)
        {
            Interlocked.Decrement(ref _count);
            return Other;
        }

        if (!_tags.TryAdd(nodeId, nodeId))
        {
            // Another call admitted the same node first: give its slot back.
            Interlocked.Decrement(ref _count);
        }

        return _tags[nodeId];
    }
}
