using IdResolution.Cql.Execution;
using IdResolution.Cql.Routing;

namespace IdResolution.Cql.Cluster;

/// <summary>
/// Orders the nodes of the local data centre for each statement: the replicas of its partition first
/// (so the coordinator holds the data, one network hop saved), starting from a rotating one so that
/// replicas share the load, then the other local nodes. Nodes marked down are skipped; remote data
/// centres are not used, because the statements run at LOCAL_ consistency levels.
/// </summary>
internal sealed class TokenAwarePlanner(string localDataCenter) : IQueryPlanner
{
    private Snapshot _snapshot = new(null, null, new Dictionary<Guid, Member>());
    private int _rotation;

    public void Update(TokenRing? ring, ReplicationStrategy? strategy, IEnumerable<(CqlHostInfo Host, ICqlRequestChannel Channel)> members)
    {
        // A node keeps its up/down state across refreshes of the topology.
        var previous = Volatile.Read(ref _snapshot).Members;
        var byId = members
            .Where(member => string.Equals(member.Host.DataCenter, localDataCenter, StringComparison.Ordinal))
            .ToDictionary(
                member => member.Host.HostId,
                member => new Member(member.Host, member.Channel) { IsUp = !previous.TryGetValue(member.Host.HostId, out var was) || was.MarkedUp });
        Volatile.Write(ref _snapshot, new Snapshot(ring, strategy, byId));
    }

    public void MarkDown(Guid host) => SetUp(host, false);

    public void MarkUp(Guid host) => SetUp(host, true);

    public IEnumerable<ICqlRequestChannel> Plan(long? token)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        var start = Interlocked.Increment(ref _rotation) & int.MaxValue;
        var chosen = new HashSet<Guid>();
        if (token is { } t && snapshot.Ring is { } ring && snapshot.Strategy is { } strategy)
        {
            var replicas = ring.GetReplicas(t, strategy).Where(host => snapshot.Members.TryGetValue(host.HostId, out var member) && member.IsUp).ToList();
            foreach (var replica in Rotated(replicas, start))
            {
                chosen.Add(replica.HostId);
                yield return snapshot.Members[replica.HostId].Channel;
            }
        }

        var others = snapshot.Members.Values.Where(member => member.IsUp && !chosen.Contains(member.Host.HostId)).ToList();
        foreach (var member in Rotated(others, start))
        {
            yield return member.Channel;
        }
    }

    private static IEnumerable<T> Rotated<T>(List<T> items, int start)
    {
        for (var i = 0; i < items.Count; i++)
        {
            yield return items[(start + i) % items.Count];
        }
    }

    private void SetUp(Guid host, bool up)
    {
        if (Volatile.Read(ref _snapshot).Members.TryGetValue(host, out var member))
        {
            member.IsUp = up;
        }
    }

    private sealed record Snapshot(TokenRing? Ring, ReplicationStrategy? Strategy, IReadOnlyDictionary<Guid, Member> Members);

    private sealed class Member(CqlHostInfo host, ICqlRequestChannel channel)
    {
        private volatile bool _up = true;

        public bool MarkedUp => _up;

        public CqlHostInfo Host => host;

        public ICqlRequestChannel Channel => channel;

        /// <summary>Marked up, and its channel up by its own account: a pool's state is read live, never copied.</summary>
        public bool IsUp
        {
            get => _up && channel.IsUp;
            set => _up = value;
        }
    }
}
