using System.Net;
using IdResolution.Cql.Types;

namespace IdResolution.Cql.Tests.Server;

/// <summary>The system tables of a fake node: its own row, its peers' rows, a keyspace's replication.</summary>
internal static class FakeSystemTables
{
    private static readonly FakeColumnType Tokens = FakeColumnType.SetOf(FakeColumnType.Text);

    public static ServerReply Local(FakeNode node, FakeCluster cluster) => FakeRows.Rows(
        "system",
        "local",
        [
            ("host_id", FakeColumnType.Uuid), ("data_center", FakeColumnType.Text), ("rack", FakeColumnType.Text), ("tokens", Tokens),
            ("release_version", FakeColumnType.Text), ("rpc_address", FakeColumnType.Inet), ("schema_version", FakeColumnType.Uuid),
        ],
        [
            [
                Uuid(node.HostId), Text(cluster.DataCenter), Text("rack1"), TokenSet(node.Token),
                Text("4.0.11"), Inet(IPAddress.Any), Uuid(node.SchemaVersion),
            ],
        ]);

    /// <summary>Every other member, down ones included (as Cassandra keeps them), with a stale or true schema version.</summary>
    public static ServerReply PeersV2(FakeNode node, FakeCluster cluster) => FakeRows.Rows(
        "system",
        "peers_v2",
        [
            ("host_id", FakeColumnType.Uuid), ("data_center", FakeColumnType.Text), ("rack", FakeColumnType.Text), ("tokens", Tokens),
            ("release_version", FakeColumnType.Text), ("native_address", FakeColumnType.Inet), ("native_port", FakeColumnType.Int),
            ("peer", FakeColumnType.Inet), ("schema_version", FakeColumnType.Uuid),
        ],
        [.. cluster.Members.Where(peer => peer != node).Select(peer => new[]
        {
            Uuid(peer.HostId), Text(cluster.DataCenter), Text("rack1"), TokenSet(peer.Token),
            Text("4.0.11"), Inet(peer.Address), FakeRows.Cell(w => CqlCodec.EncodeInt32(peer.EndPoint.Port, w)),
            Inet(peer.Address), Uuid(cluster.PeersReportOwnSchemaVersion ? node.SchemaVersion : peer.SchemaVersion),
        })]);

    public static ServerReply KeyspaceReplication(FakeKeyspace? keyspace) => FakeRows.Rows(
        "system_schema",
        "keyspaces",
        [("replication", FakeColumnType.MapOf(FakeColumnType.Text, FakeColumnType.Text))],
        keyspace is null ? [] : [[FakeRows.Cell(w => CqlCodec.EncodeMap(keyspace.Replication.ToList(), CqlCodec.EncodeText, CqlCodec.EncodeText, w))]]);

    private static byte[] Uuid(Guid value) => FakeRows.Cell(w => CqlCodec.EncodeUuid(value, w));

    private static byte[] Text(string value) => FakeRows.Cell(w => CqlCodec.EncodeText(value, w));

    private static byte[] Inet(IPAddress value) => FakeRows.Cell(w => CqlCodec.EncodeInet(value, w));

    private static byte[] TokenSet(string token) => FakeRows.Cell(w => CqlCodec.EncodeSet(new[] { token }, CqlCodec.EncodeText, w));
}
