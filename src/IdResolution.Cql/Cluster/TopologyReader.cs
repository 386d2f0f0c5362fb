using System.Net;
using IdResolution.Cql.Execution;
using IdResolution.Cql.Routing;

namespace IdResolution.Cql.Cluster;

/// <summary>
/// Reads the cluster's members from its system tables, on the control connection. Cassandra 4.0+
/// has <c>system.peers_v2</c> (with each peer's native port); 3.x only <c>system.peers</c>, whose
/// peers are assumed to listen on the port the client was given.
/// </summary>
internal static class TopologyReader
{
    public const string LocalQuery = "SELECT host_id, data_center, rack, tokens, release_version, rpc_address FROM system.local WHERE key = 'local'";
    public const string PeersV2Query = "SELECT host_id, data_center, rack, tokens, release_version, native_address, native_port, peer FROM system.peers_v2";
    public const string PeersQuery = "SELECT host_id, data_center, rack, tokens, release_version, rpc_address, peer FROM system.peers";

    /// <summary>
    /// The node the control connection is on. Its <c>rpc_address</c> may be 0.0.0.0 (listening on all
    /// interfaces), so the address that was dialled is the one to keep.
    /// </summary>
    public static CqlHostRecord? FromLocal(CqlRow row, IPEndPoint dialled) => Host(row, dialled);

    public static CqlHostRecord? FromPeerV2(CqlRow row) =>
        row.IsNull("native_address") || row.IsNull("native_port")
            ? null
            : Host(row, new IPEndPoint(Usable(row.Get<IPAddress>("native_address"), row), row.Get<int>("native_port")));

    public static CqlHostRecord? FromPeer(CqlRow row, int port) =>
        row.IsNull("rpc_address") ? null : Host(row, new IPEndPoint(Usable(row.Get<IPAddress>("rpc_address"), row), port));

    /// <summary>A node announcing 0.0.0.0 listens everywhere; it is reached at its gossip address.</summary>
    private static IPAddress Usable(IPAddress announced, CqlRow row) =>
        (announced.Equals(IPAddress.Any) || announced.Equals(IPAddress.IPv6Any)) && !row.IsNull("peer") ? row.Get<IPAddress>("peer") : announced;

    // Peers with missing fields exist (a node half-removed, a gossip glitch); routing to them fails, so they are left out.
    private static CqlHostRecord? Host(CqlRow row, IPEndPoint address)
    {
        if (row.IsNull("host_id") || row.IsNull("data_center") || row.IsNull("rack"))
        {
            return null;
        }

        var info = new CqlHostInfo(row.Get<Guid>("host_id"), address, row.Get<string>("data_center"), row.Get<string>("rack"));
        return new CqlHostRecord(info, row.GetList<string>("tokens"), row.IsNull("release_version") ? null : row.Get<string>("release_version"));
    }
}
