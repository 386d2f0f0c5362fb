using System.Net;

namespace IdResolution.Cql.Cluster;

/// <summary>
/// A node of the cluster as the session sees it. <see cref="IsUp"/> is the client's own view (it holds a
/// connection, or does not); null for nodes of other data centres, which the session does not connect to.
/// </summary>
public sealed record CqlNodeState(IPEndPoint Address, Guid HostId, string DataCenter, string Rack, bool? IsUp, int OpenConnections)
{
    public override string ToString() => $"{Address} {(IsUp switch { true => "up", false => "down", null => "not connected" })}";
}
