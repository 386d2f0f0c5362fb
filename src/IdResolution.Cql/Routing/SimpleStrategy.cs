namespace IdResolution.Cql.Routing;

/// <summary>The owner of the token's range and the next distinct hosts clockwise, ignoring topology.</summary>
public sealed record SimpleStrategy : ReplicationStrategy
{
    public SimpleStrategy(int replicationFactor)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(replicationFactor);
        ReplicationFactor = replicationFactor;
    }

    public int ReplicationFactor { get; }

    internal override List<CqlHostInfo> PlaceReplicas(TokenRing ring, int startIndex)
    {
        var replicas = new List<CqlHostInfo>(Math.Min(ReplicationFactor, ring.HostCount));
        var seen = new HashSet<Guid>();
        for (var step = 0; step < ring.Count && replicas.Count < ReplicationFactor; step++)
        {
            var host = ring.OwnerAt(startIndex + step);
            if (seen.Add(host.HostId))
            {
                replicas.Add(host);
            }
        }

        return replicas;
    }
}
