using IdResolution.Cql.Errors;
using IdResolution.Cql.Protocol;

namespace IdResolution.Cql.Tests.Protocol;

public sealed class FrameHeaderTests
{
    [Fact]
    public void A_header_round_trips_through_its_nine_bytes()
    {
        var header = new CqlFrameHeader(4, IsResponse: true, CqlFrameFlags.Tracing | CqlFrameFlags.Warning, -1, CqlOpcode.Event, 1234);
        var bytes = new byte[CqlFrameHeader.Size];

        header.Write(bytes);

        // native_protocol_v4.spec §2 (frame header): version|flags|stream(2)|opcode|length(4), big-endian.
        Assert.Equal(new byte[] { 0x84, 0x0A, 0xFF, 0xFF, 0x0C, 0x00, 0x00, 0x04, 0xD2 }, bytes);
        Assert.Equal(header, CqlFrameHeader.Read(bytes, expectResponse: true));
    }

    [Fact]
    public void A_hand_written_response_header_decodes_field_by_field()
    {
        // native_protocol_v4.spec §2: a v4 RESULT response on stream 0x0102 with a 16-byte body.
        byte[] bytes = [0x84, 0x00, 0x01, 0x02, 0x08, 0x00, 0x00, 0x00, 0x10];

        var header = CqlFrameHeader.Read(bytes, expectResponse: true);

        Assert.Equal(4, header.Version);
        Assert.True(header.IsResponse);
        Assert.Equal(CqlFrameFlags.None, header.Flags);
        Assert.Equal(0x0102, header.StreamId);
        Assert.Equal(CqlOpcode.Result, header.Opcode);
        Assert.Equal(16, header.BodyLength);
    }

    [Fact]
    public void The_version_byte_is_a_parameter_so_other_versions_encode_too()
    {
        // native_protocol_v4.spec §2.1: the low seven bits are the version, the high bit the direction.
        var bytes = new byte[CqlFrameHeader.Size];
        new CqlFrameHeader(3, IsResponse: false, CqlFrameFlags.None, 0, CqlOpcode.Options, 0).Write(bytes);

        Assert.Equal(0x03, bytes[0]);
        Assert.Equal(3, CqlFrameHeader.Read(bytes, expectResponse: false).Version);
    }

    [Theory]
    [InlineData(0x04, true)] // a request where a response was expected
    [InlineData(0x84, false)] // a response where a request was expected
    public void A_frame_travelling_the_wrong_way_is_a_protocol_error(byte version, bool expectResponse)
    {
        // native_protocol_v4.spec §2.1: 0x04 is a request, 0x84 a response.
        byte[] bytes = [version, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00];

        Assert.Throws<CqlProtocolException>(() => CqlFrameHeader.Read(bytes, expectResponse));
    }

    [Theory]
    [InlineData(0x80, 0x00, 0x00, 0x00)] // negative length
    [InlineData(0x10, 0x00, 0x00, 0x01)] // 256 MB + 1 (§2.5 limit)
    public void A_body_length_outside_the_limit_is_a_protocol_error(byte b0, byte b1, byte b2, byte b3)
    {
        byte[] bytes = [0x84, 0x00, 0x00, 0x00, 0x02, b0, b1, b2, b3];

        Assert.Throws<CqlProtocolException>(() => CqlFrameHeader.Read(bytes, expectResponse: true));
    }

    [Fact]
    public void The_body_limit_is_a_parameter()
    {
        // Servers configure lower limits (native_transport_max_frame_size); 101 bytes against a 100-byte limit.
        byte[] bytes = [0x84, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 101];

        Assert.Throws<CqlProtocolException>(() => CqlFrameHeader.Read(bytes, expectResponse: true, maxBodyLength: 100));
        Assert.Equal(101, CqlFrameHeader.Read(bytes, expectResponse: true, maxBodyLength: 101).BodyLength);
    }

    [Fact]
    public void Opcode_0x04_does_not_exist_in_v4()
    {
        // native_protocol_v4.spec §2.4: "there is no 0x04 message".
        byte[] bytes = [0x84, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00];

        Assert.Throws<CqlProtocolException>(() => CqlFrameHeader.Read(bytes, expectResponse: true));
    }

    [Fact]
    public void Every_truncated_header_is_a_protocol_error()
    {
        byte[] bytes = [0x84, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00];
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<CqlProtocolException>(() => CqlFrameHeader.Read(bytes.AsSpan(0, length), expectResponse: true));
        }
    }
}
