using System.Buffers;
using System.Text;
using IdResolution.Cql.Errors;
using IdResolution.Cql.Protocol;

namespace IdResolution.Cql.Tests.Server;

/// <summary>
/// What the loopback server does with a QUERY, EXECUTE, PREPARE or BATCH. Replies held behind gates and released
/// in any order give out-of-order answers; a gate never released gives a request that is never answered.
/// </summary>
internal abstract record ServerReply
{
    public static ServerReply Void { get; } = Result(body => body.WriteInt(0x0001));

    /// <summary>Drops the connection the request came on, with everything else in flight on it.</summary>
    public static ServerReply Drop { get; } = new DropReply();

    public static ServerReply Never { get; } = new NeverReply();

    /// <summary>A one-row, one-column (varchar "value") Rows result.</summary>
    public static ServerReply Rows(string value) => Result(body =>
    {
        body.WriteInt(0x0002);
        body.WriteInt(0x0001); // Global_tables_spec
        body.WriteInt(1);
        body.WriteString("ks");
        body.WriteString("t");
        body.WriteString("value");
        body.WriteShort(0x000D); // varchar
        body.WriteInt(1);
        body.WriteBytes(Encoding.UTF8.GetBytes(value));
    });

    /// <summary>A Prepared result with no bind markers and no result metadata (v4 layout).</summary>
    public static ServerReply Prepared(byte[] id) => Result(body =>
    {
        body.WriteInt(0x0004);
        body.WriteShortBytes(id);
        body.WriteInt(0); // flags
        body.WriteInt(0); // bind markers
        body.WriteInt(0); // partition key indexes
        body.WriteInt(0x0004); // result metadata: No_metadata
        body.WriteInt(0);
    });

    public static ServerReply SetKeyspace(string keyspace) => Result(body =>
    {
        body.WriteInt(0x0003);
        body.WriteString(keyspace);
    });

    public static ServerReply Overloaded(string message) => Error(CqlErrorCode.Overloaded, message);

    /// <summary>Unavailable: <paramref name="alive"/> replicas up of the <paramref name="required"/> the level needs.</summary>
    public static ServerReply Unavailable(CqlConsistency consistency, int required, int alive) =>
        Error(CqlErrorCode.Unavailable, $"Cannot achieve consistency level {consistency.ToCqlName()}", body =>
        {
            body.WriteConsistency(consistency);
            body.WriteInt(required);
            body.WriteInt(alive);
        });

    /// <summary>
    /// Write_timeout: the coordinator heard from <paramref name="received"/> of <paramref name="blockFor"/> replicas in time
    /// (a <paramref name="writeType"/> of "CAS" is a Paxos round whose outcome is open).
    /// </summary>
    public static ServerReply WriteTimeout(CqlConsistency consistency, int received, int blockFor, string writeType) =>
        Error(CqlErrorCode.WriteTimeout, $"Operation timed out - received only {received} responses.", body =>
        {
            body.WriteConsistency(consistency);
            body.WriteInt(received);
            body.WriteInt(blockFor);
            body.WriteString(writeType);
        });

    /// <summary>Read_timeout: <paramref name="received"/> of <paramref name="blockFor"/> replicas answered in time.</summary>
    public static ServerReply ReadTimeout(CqlConsistency consistency, int received, int blockFor, bool dataPresent) =>
        Error(CqlErrorCode.ReadTimeout, $"Operation timed out - received only {received} responses.", body =>
        {
            body.WriteConsistency(consistency);
            body.WriteInt(received);
            body.WriteInt(blockFor);
            body.WriteByte(dataPresent ? (byte)1 : (byte)0);
        });

    public static ServerReply Unprepared(string message, byte[] id) => Error(CqlErrorCode.Unprepared, message, body => body.WriteShortBytes(id));

    public static ServerReply Error(CqlErrorCode code, string message, Action<IBufferWriter<byte>>? extra = null) =>
        new FrameReply(CqlOpcode.Error, Body(body =>
        {
            body.WriteInt((int)code);
            body.WriteString(message);
            extra?.Invoke(body);
        }));

    /// <summary>Answers with <paramref name="then"/> once <paramref name="gate"/> completes: a slow node.</summary>
    public static ServerReply After(Task gate, ServerReply then) => new GatedReply(gate, then);

    /// <summary>Answers with <paramref name="then"/> after <paramref name="delay"/>: a node that is slow but does answer.</summary>
    public static ServerReply Delay(TimeSpan delay, ServerReply then) => new GatedReply(Task.Delay(delay), then);

    private static FrameReply Result(Action<IBufferWriter<byte>> write) => new(CqlOpcode.Result, Body(write));

    private static byte[] Body(Action<IBufferWriter<byte>> write)
    {
        var body = new ArrayBufferWriter<byte>();
        write(body);
        return body.WrittenSpan.ToArray();
    }
}

internal sealed record FrameReply(CqlOpcode Opcode, byte[] Body) : ServerReply;

internal sealed record GatedReply(Task Gate, ServerReply Then) : ServerReply;

internal sealed record DropReply : ServerReply;

internal sealed record NeverReply : ServerReply;
