using IdResolution.Cql.Errors;
using IdResolution.Cql.Protocol;
using IdResolution.Cql.Protocol.Responses;

namespace IdResolution.Cql.Tests.Protocol;

public sealed class ResponseFrameTests
{
    private static readonly Guid TracingId = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");

    private static (CqlFrameHeader Header, byte[] Body) Frame(CqlFrameFlags flags, SpecBytes body)
    {
        var bytes = body.ToArray();
        return (new CqlFrameHeader(4, IsResponse: true, flags, 3, CqlOpcode.Result, bytes.Length), bytes);
    }

    [Fact]
    public void Tracing_id_then_warnings_then_custom_payload_precede_the_message()
    {
        // native_protocol_v4.spec §2.2: [uuid] tracing id first, then [string list] warnings, then [bytes map] payload.
        var (header, body) = Frame(
            CqlFrameFlags.Tracing | CqlFrameFlags.Warning | CqlFrameFlags.CustomPayload,
            new SpecBytes()
                .Raw(0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF)
                .StringList("Batch too large")
                .Short(1).String("k").Bytes(1, 2)
                .Int(0x0001)); // RESULT Void

        var frame = CqlResponseFrame.Read(header, body);

        Assert.Equal(TracingId, frame.TracingId);
        Assert.Equal(["Batch too large"], frame.Warnings);
        Assert.Equal(new byte[] { 1, 2 }, frame.CustomPayload!["k"]!.Value.ToArray());
        Assert.IsType<VoidResult>(frame.Message);
    }

    [Fact]
    public void Warnings_come_first_without_tracing()
    {
        var (header, body) = Frame(CqlFrameFlags.Warning, new SpecBytes().StringList("w1", "w2").Int(0x0003).String("ks"));

        var frame = CqlResponseFrame.Read(header, body);

        Assert.Null(frame.TracingId);
        Assert.Null(frame.CustomPayload);
        Assert.Equal(["w1", "w2"], frame.Warnings);
        Assert.Equal("ks", Assert.IsType<SetKeyspaceResult>(frame.Message).Keyspace);
    }

    [Fact]
    public void Trailing_bytes_after_the_message_are_ignored()
    {
        // native_protocol_v4.spec §1: bodies may carry more than described; clients skip the rest.
        var (header, body) = Frame(CqlFrameFlags.None, new SpecBytes().Int(0x0001).Raw(0xFF, 0xFF));

        Assert.IsType<VoidResult>(CqlResponseFrame.Read(header, body).Message);
    }

    [Fact]
    public void A_body_shorter_than_announced_or_still_compressed_is_a_protocol_error()
    {
        var (header, body) = Frame(CqlFrameFlags.None, new SpecBytes().Int(0x0001));

        Assert.Throws<CqlProtocolException>(() => CqlResponseFrame.Read(header with { BodyLength = 5 }, body));
        Assert.Throws<CqlProtocolException>(() => CqlResponseFrame.Read(header with { Flags = CqlFrameFlags.Compression }, body));
    }

    [Fact]
    public void Every_truncation_of_a_prefixed_body_is_a_protocol_error()
    {
        var (header, body) = Frame(
            CqlFrameFlags.Tracing | CqlFrameFlags.Warning,
            new SpecBytes().Raw(new byte[16]).StringList("w").Int(0x0003).String("ks"));

        for (var length = 0; length < body.Length; length++)
        {
            var prefix = body.AsMemory(0, length);
            var thrown = Record.Exception(() => CqlResponseFrame.Read(header with { BodyLength = length }, prefix));
            Assert.IsType<CqlProtocolException>(thrown);
        }
    }
}
