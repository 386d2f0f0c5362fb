namespace IdResolution.Cql.Routing;

/// <summary>A replication factor per data centre, spread over each data centre's racks.</summary>
public sealed record NetworkTopologyStrategy : ReplicationStrategy
{
    public NetworkTopologyStrategy(IReadOnlyDictionary<string, int> replicationFactors)
    {
        ArgumentNullException.ThrowIfNull(replicationFactors);
        foreach (var (dataCenter, rf) in replicationFactors)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(rf, dataCenter);
        }

        ReplicationFactors = new Dictionary<string, int>(replicationFactors, StringComparer.Ordinal);
    }

    public IReadOnlyDictionary<string, int> ReplicationFactors { get; }

    // By content, so that keyspaces with the same placement can share one computed replica map.
    public bool Equals(NetworkTopologyStrategy? other) =>
        other is not null
        && other.ReplicationFactors.Count == ReplicationFactors.Count
        && ReplicationFactors.All(f => other.ReplicationFactors.TryGetValue(f.Key, out var rf) && rf == f.Value);

    public override int GetHashCode()
    {
        var hash = 0;
        foreach (var (dataCenter, rf) in ReplicationFactors)
        {
            hash ^= HashCode.Combine(StringComparer.Ordinal.GetHashCode(dataCenter), rf);
        }

        return hash;
    }

    /// <summary>
    /// Cassandra 4.0's <c>NetworkTopologyStrategy.calculateNaturalReplicas</c>, in one clockwise walk from
    /// the token's owner. In each data centre the factor is capped at its host count, and a host is taken
    /// when its rack is new to that data centre's replicas. A host on a rack already used is taken only
    /// while the data centre may still repeat racks: it has <c>rf - racks</c> repeats to spend, with the
    /// uncapped rf as the server counts them (none when it has at least rf racks), so the replicas always span
    /// min(rf, racks) racks. Spending the repeats on
    /// the first repeated hosts met gives the same set as the older algorithm (skip repeats, then fill from
    /// the skipped ones in ring order); only the list order differs. The walk ends when every data centre
    /// is full or the ring is exhausted. Data centres with no hosts on the ring are ignored.
    /// </summary>
    internal override List<CqlHostInfo> PlaceReplicas(TokenRing ring, int startIndex)
    {
        var trackers = new Dictionary<string, DataCenterQuota>(StringComparer.Ordinal);
        foreach (var (dataCenter, rf) in ReplicationFactors)
        {
            var topology = ring.TopologyOf(dataCenter);
            var capped = Math.Min(rf, topology.Hosts);
            if (capped > 0)
            {
                trackers[dataCenter] = new DataCenterQuota(capped, rf - topology.Racks);
            }
        }

        var replicas = new List<CqlHostInfo>();
        var seen = new HashSet<Guid>();
        var unfilled = trackers.Count;
        for (var step = 0; step < ring.Count && unfilled > 0; step++)
        {
            var host = ring.OwnerAt(startIndex + step);
            if (seen.Contains(host.HostId) || !trackers.TryGetValue(host.DataCenter, out var quota) || !quota.TryTake(host.Rack))
            {
                continue;
            }

            seen.Add(host.HostId);
            replicas.Add(host);
            if (quota.IsFull)
            {
                unfilled--;
            }
        }

        return replicas;
    }

    private sealed class DataCenterQuota(int replicas, int rackRepeats)
    {
        private readonly HashSet<string> _racks = new(StringComparer.Ordinal);
        private int _left = replicas;
        private int _rackRepeatsLeft = rackRepeats;

        public bool IsFull => _left == 0;

        public bool TryTake(string rack)
        {
            if (IsFull)
            {
                return false;
            }

            if (!_racks.Add(rack))
            {
                if (_rackRepeatsLeft <= 0)
                {
                    return false;
                }

                _rackRepeatsLeft--;
            }

            _left--;
            return true;
        }
    }
}
