using System.Buffers;
using System.Net;
using IdResolution.Cql.Protocol;
using IdResolution.Cql.Types;

namespace IdResolution.Cql.Tests.Server;

/// <summary>
/// The system-table answers a session reads when it connects, as the loopback server gives them:
/// one node (the server itself) in a data centre, and no peers. A test fixture, not Cassandra.
/// </summary>
internal static class SystemTables
{
    private const short Uuid = 0x000C;
    private const short Varchar = 0x000D;
    private const short Inet = 0x0010;
    private const short Set = 0x0022;

    public static readonly Guid HostId = Guid.Parse("6f1c3a9e-0000-4000-8000-00000000a001");

    /// <summary>Answers the session's system queries; anything else goes to <paramref name="other"/>.</summary>
    public static Func<ReceivedRequest, ServerReply> Node(string dataCenter, Func<ReceivedRequest, ServerReply> other) => request =>
        request.Opcode != CqlOpcode.Query ? other(request)
        : request.QueryText.Contains("FROM system.local", StringComparison.Ordinal) ? Local(dataCenter)
        : request.QueryText.Contains("FROM system.peers_v2", StringComparison.Ordinal) ? NoPeers()
        : other(request);

    private static ServerReply Local(string dataCenter) => Rows(
        [("host_id", Uuid, null), ("data_center", Varchar, null), ("rack", Varchar, null), ("tokens", Set, Varchar), ("release_version", Varchar, null), ("rpc_address", Inet, null)],
        [
            Encode(w => CqlCodec.EncodeUuid(HostId, w)),
            Encode(w => CqlCodec.EncodeText(dataCenter, w)),
            Encode(w => CqlCodec.EncodeText("rack1", w)),
            Encode(w => CqlCodec.EncodeSet(new[] { "0" }, CqlCodec.EncodeText, w)),
            Encode(w => CqlCodec.EncodeText("4.0.11", w)),
            Encode(w => CqlCodec.EncodeInet(IPAddress.Any, w)),
        ]);

    private static ServerReply NoPeers() => Rows(
        [("host_id", Uuid, null), ("data_center", Varchar, null), ("rack", Varchar, null), ("tokens", Set, Varchar), ("release_version", Varchar, null), ("native_address", Inet, null), ("native_port", 0x0009, null), ("peer", Inet, null)]);

    private static byte[] Encode(Action<IBufferWriter<byte>> write)
    {
        var writer = new ArrayBufferWriter<byte>();
        write(writer);
        return writer.WrittenSpan.ToArray();
    }

    // RESULT Rows with a global table spec (native_protocol_v4.spec §4.2.5.2).
    private static FrameReply Rows((string Name, short Type, short? Element)[] columns, params byte[][] row)
    {
        var body = new ArrayBufferWriter<byte>();
        body.WriteInt(0x0002);
        body.WriteInt(0x0001);
        body.WriteInt(columns.Length);
        body.WriteString("system");
        body.WriteString("local");
        foreach (var (name, type, element) in columns)
        {
            body.WriteString(name);
            body.WriteShort(type);
            if (element is { } e)
            {
                body.WriteShort(e);
            }
        }

        body.WriteInt(row.Length == 0 ? 0 : 1);
        foreach (var cell in row)
        {
            body.WriteBytes(cell);
        }

        return new FrameReply(CqlOpcode.Result, body.WrittenSpan.ToArray());
    }
}
