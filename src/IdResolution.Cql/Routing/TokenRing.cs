using System.Globalization;

namespace IdResolution.Cql.Routing;

/// <summary>
/// The Murmur3 ring: every host's tokens, sorted. The host of token t owns the range (previous token, t],
/// so a key's replicas start at the first token at or after the key's token, wrapping past the largest.
/// </summary>
public sealed class TokenRing
{
    private readonly long[] _tokens;
    private readonly CqlHostInfo[] _owners;
    private readonly Dictionary<string, (int Hosts, int Racks)> _topology;

    /// <param name="hosts">
    /// Each host with its <c>tokens</c> from system.local or system.peers: signed 64-bit integers as text.
    /// A host without tokens (still joining) owns nothing.
    /// </param>
    public TokenRing(IEnumerable<(CqlHostInfo Host, IEnumerable<string> Tokens)> hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        var entries = new List<(long Token, CqlHostInfo Host)>();
        var distinct = new Dictionary<Guid, CqlHostInfo>();
        foreach (var (host, tokens) in hosts)
        {
            ArgumentNullException.ThrowIfNull(host);
            ArgumentNullException.ThrowIfNull(tokens);
            foreach (var text in tokens)
            {
                if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var token))
                {
                    throw new ArgumentException($"Host {host.HostId} has a token '{text}' that is not a Murmur3 token.", nameof(hosts));
                }

                entries.Add((token, host));
                distinct.TryAdd(host.HostId, host);
            }
        }

        entries.Sort((a, b) => a.Token.CompareTo(b.Token));
        for (var i = 1; i < entries.Count; i++)
        {
            if (entries[i].Token == entries[i - 1].Token)
            {
                throw new ArgumentException($"Token {entries[i].Token} is claimed twice; the topology is inconsistent.", nameof(hosts));
            }
        }

        _tokens = entries.ConvertAll(e => e.Token).ToArray();
        _owners = entries.ConvertAll(e => e.Host).ToArray();
        _topology = distinct.Values
            .GroupBy(h => h.DataCenter, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => (g.Count(), g.Select(h => h.Rack).Distinct(StringComparer.Ordinal).Count()),
                StringComparer.Ordinal);
        HostCount = distinct.Count;
    }

    /// <summary>The number of tokens on the ring.</summary>
    public int Count => _tokens.Length;

    public int HostCount { get; }

    /// <summary>The replicas of a token in placement order, the owner of its range first; empty on an empty ring.</summary>
    public IReadOnlyList<CqlHostInfo> GetReplicas(long token, ReplicationStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        return _tokens.Length == 0 ? [] : strategy.PlaceReplicas(this, OwnerIndex(token));
    }

    internal CqlHostInfo OwnerAt(int index) => _owners[index % _owners.Length];

    /// <summary>The token that ends the index-th range, in ring order.</summary>
    internal long TokenAt(int index) => _tokens[index % _tokens.Length];

    internal (int Hosts, int Racks) TopologyOf(string dataCenter) =>
        _topology.TryGetValue(dataCenter, out var topology) ? topology : (0, 0);

    private int OwnerIndex(long token)
    {
        var index = Array.BinarySearch(_tokens, token);
        if (index >= 0)
        {
            return index;
        }

        // Past the largest token the ring wraps to the smallest.
        var next = ~index;
        return next == _tokens.Length ? 0 : next;
    }
}
