using System.Buffers;
using System.Net;
using IdResolution.Cql.Cluster;
using IdResolution.Cql.Execution;
using IdResolution.Cql.Protocol.Responses;
using IdResolution.Cql.Tests.Execution;
using IdResolution.Cql.Types;

namespace IdResolution.Cql.Tests.Cluster;

public sealed class TopologyReaderTests
{
    private static readonly CqlColumnType Uuid = CqlColumnType.Native(CqlColumnTypeCode.Uuid);
    private static readonly CqlColumnType Inet = CqlColumnType.Native(CqlColumnTypeCode.Inet);
    private static readonly CqlColumnType Int = CqlColumnType.Native(CqlColumnTypeCode.Int);
    private static readonly CqlColumnType TextSet = new(CqlColumnTypeCode.Set, [Results.Text]);
    private static readonly Guid HostId = Guid.Parse("0f2b6a3e-3c57-4d7e-9f1a-2b9d1c0e5a77");

    private static readonly (string, CqlColumnType)[] PeerV2Columns =
    [
        ("host_id", Uuid), ("data_center", Results.Text), ("rack", Results.Text), ("tokens", TextSet),
        ("release_version", Results.Text), ("native_address", Inet), ("native_port", Int), ("peer", Inet),
    ];

    private static byte[] Encode(Action<IBufferWriter<byte>> write)
    {
        var writer = new ArrayBufferWriter<byte>();
        write(writer);
        return writer.WrittenSpan.ToArray();
    }

    private static byte[] Tokens(params string[] tokens) => Encode(w => CqlCodec.EncodeSet(tokens, CqlCodec.EncodeText, w));

    private static CqlRow PeerV2(byte[]? hostId, string address, int? port, string peer = "10.0.0.9")
    {
        var rows = Results.Rows(PeerV2Columns, null,
        [
            hostId, Results.Utf8("dc1"), Results.Utf8("rack2"), Tokens("-9000", "42"), Results.Utf8("4.0.11"),
            Encode(w => CqlCodec.EncodeInet(IPAddress.Parse(address), w)),
            port is { } p ? Encode(w => CqlCodec.EncodeInt32(p, w)) : null,
            Encode(w => CqlCodec.EncodeInet(IPAddress.Parse(peer), w)),
        ]);
        return new CqlRowSet(rows)[0];
    }

    private static byte[] Id => Encode(w => CqlCodec.EncodeUuid(HostId, w));

    [Fact]
    public void A_peers_v2_row_gives_the_node_its_native_address_port_place_and_tokens()
    {
        var host = TopologyReader.FromPeerV2(PeerV2(Id, "10.0.0.2", 9142));

        Assert.NotNull(host);
        Assert.Equal(HostId, host.Info.HostId);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.2"), 9142), host.Info.Address);
        Assert.Equal(("dc1", "rack2"), (host.Info.DataCenter, host.Info.Rack));
        Assert.Equal(["-9000", "42"], host.Tokens);
        Assert.Equal("4.0.11", host.ReleaseVersion);
    }

    [Fact]
    public void A_node_announcing_every_interface_is_reached_at_its_gossip_address()
    {
        var host = TopologyReader.FromPeerV2(PeerV2(Id, "0.0.0.0", 9042, peer: "10.0.0.9"));

        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.9"), 9042), host!.Info.Address);
    }

    [Fact]
    public void A_peer_row_missing_its_id_or_port_is_left_out()
    {
        Assert.Null(TopologyReader.FromPeerV2(PeerV2(null, "10.0.0.2", 9042)));
        Assert.Null(TopologyReader.FromPeerV2(PeerV2(Id, "10.0.0.2", null)));
    }
}
