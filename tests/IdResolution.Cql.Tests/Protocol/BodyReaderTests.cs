using System.Buffers;
using System.Net;
using IdResolution.Cql.Errors;
using IdResolution.Cql.Protocol;
using IdResolution.Cql.Protocol.Responses;

namespace IdResolution.Cql.Tests.Protocol;

public sealed class BodyReaderTests
{
    [Fact]
    public void Value_distinguishes_bytes_null_and_not_set()
    {
        // native_protocol_v4.spec §3 [value]: n >= 0 bytes, -1 null, -2 not set, below -2 invalid.
        var reader = new CqlBodyReader(new SpecBytes().Bytes(1).Int(-1).Int(-2).Int(-3).ToArray());

        Assert.Equal(new byte[] { 1 }, reader.ReadValue().Bytes.ToArray());
        Assert.Equal(CqlValueKind.Null, reader.ReadValue().Kind);
        Assert.Equal(CqlValueKind.NotSet, reader.ReadValue().Kind);
        Assert.Throws<CqlProtocolException>(() => reader.ReadValue());
    }

    [Fact]
    public void Short_lengths_are_unsigned()
    {
        // native_protocol_v4.spec §3: [short] is a 2-byte unsigned integer; 0xFFFF announces 65535 bytes.
        var reader = new CqlBodyReader(new SpecBytes().Short(0xFFFF).Raw(1, 2).ToArray());

        Assert.Throws<CqlProtocolException>(() => reader.ReadShortBytes());
    }

    [Fact]
    public void Uuid_is_sixteen_big_endian_bytes()
    {
        // native_protocol_v4.spec §3 [uuid].
        var reader = new CqlBodyReader(new byte[] { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF });

        Assert.Equal(Guid.Parse("00112233-4455-6677-8899-aabbccddeeff"), reader.ReadUuid());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(255)]
    public void Inet_address_sizes_other_than_4_and_16_are_protocol_errors(byte size)
    {
        var reader = new CqlBodyReader(new SpecBytes().Byte(size).Raw(new byte[size]).Int(9042).ToArray());

        Assert.Throws<CqlProtocolException>(() => reader.ReadInet());
    }

    [Fact]
    public void A_port_outside_0_to_65535_is_a_protocol_error()
    {
        var reader = new CqlBodyReader(new SpecBytes().Byte(4).Raw(127, 0, 0, 1).Int(70000).ToArray());

        Assert.Throws<CqlProtocolException>(() => reader.ReadInet());
    }

    [Fact]
    public void Counts_larger_than_the_bytes_left_fail_before_allocating()
    {
        // A Rows result claiming int.MaxValue rows of 1000 columns in a 30-byte body.
        var body = new SpecBytes().Int(0x0002).Int(0x0004).Int(1000).Int(int.MaxValue).Raw(new byte[14]).ToArray();

        Assert.Throws<CqlProtocolException>(() => CqlResponseReader.Read(CqlOpcode.Result, body));
    }

    [Fact]
    public void Negative_counts_are_protocol_errors()
    {
        Assert.Throws<CqlProtocolException>(() => CqlResponseReader.Read(CqlOpcode.Result, new SpecBytes().Int(2).Int(0).Int(-1).ToArray()));
        Assert.Throws<CqlProtocolException>(() => CqlResponseReader.Read(CqlOpcode.Result, new SpecBytes().Int(2).Int(4).Int(1).Int(-1).ToArray()));
        Assert.Throws<CqlProtocolException>(() => new CqlBodyReader(new SpecBytes().Int(-1).ToArray()).ReadLongString());
    }

    [Fact]
    public void Invalid_utf8_is_a_protocol_error()
    {
        var reader = new CqlBodyReader(new SpecBytes().Short(2).Raw(0xC3, 0x28).ToArray());

        Assert.Throws<CqlProtocolException>(() => reader.ReadString());
    }

    [Fact]
    public void Hostile_type_nesting_is_a_protocol_error_not_a_stack_overflow()
    {
        // list<list<list<...>>> 10,000 deep.
        var body = new SpecBytes().Int(2).Int(0x0001).Int(1).String("ks").String("t").String("c");
        for (var i = 0; i < 10_000; i++)
        {
            body.Short(0x0020);
        }

        body.Short(0x0009).Int(0);

        Assert.Throws<CqlProtocolException>(() => CqlResponseReader.Read(CqlOpcode.Result, body.ToArray()));
    }

    [Fact]
    public void An_unknown_type_id_is_a_protocol_error()
    {
        // 0x000A (text) left the protocol in v3; its option value could not be skipped anyway.
        var body = new SpecBytes().Int(2).Int(0x0001).Int(1).String("ks").String("t").String("c").Short(0x000A).Int(0).ToArray();

        Assert.Throws<CqlProtocolException>(() => CqlResponseReader.Read(CqlOpcode.Result, body));
    }

    [Fact]
    public void Duplicate_map_keys_do_not_escape_as_argument_exceptions()
    {
        var reader = new CqlBodyReader(new SpecBytes().Short(2).String("k").String("a").String("k").String("b").ToArray());

        Assert.Equal("b", reader.ReadStringMap()["k"]);
    }

    [Fact]
    public void Writer_output_reads_back_for_every_notation()
    {
        var output = new ArrayBufferWriter<byte>();
        var id = Guid.NewGuid();
        var endPoint = new IPEndPoint(IPAddress.Parse("::1"), 9042);
        output.WriteByte(7);
        output.WriteShort(-2);
        output.WriteInt(-3);
        output.WriteLong(long.MinValue);
        output.WriteString("é");
        output.WriteLongString("long");
        output.WriteUuid(id);
        output.WriteStringList(["a", "b"]);
        output.WriteBytes(null);
        output.WriteValue(CqlValue.NotSet);
        output.WriteShortBytes([1, 2]);
        output.WriteInet(endPoint);
        output.WriteConsistency(CqlConsistency.EachQuorum);
        output.WriteStringMap([new("k", "v")]);
        output.WriteStringMultimap([new("k", ["v1", "v2"])]);
        output.WriteBytesMap([new("k", null)]);

        var reader = new CqlBodyReader(output.WrittenMemory);

        Assert.Equal(7, reader.ReadByte());
        Assert.Equal(-2, reader.ReadShort());
        Assert.Equal(-3, reader.ReadInt());
        Assert.Equal(long.MinValue, reader.ReadLong());
        Assert.Equal("é", reader.ReadString());
        Assert.Equal("long", reader.ReadLongString());
        Assert.Equal(id, reader.ReadUuid());
        Assert.Equal(["a", "b"], reader.ReadStringList());
        Assert.Null(reader.ReadBytes());
        Assert.Equal(CqlValueKind.NotSet, reader.ReadValue().Kind);
        Assert.Equal(new byte[] { 1, 2 }, reader.ReadShortBytes().ToArray());
        Assert.Equal(endPoint, reader.ReadInet());
        Assert.Equal(CqlConsistency.EachQuorum, reader.ReadConsistency());
        Assert.Equal("v", reader.ReadStringMap()["k"]);
        Assert.Equal(["v1", "v2"], reader.ReadStringMultimap()["k"]);
        Assert.Null(reader.ReadBytesMap()["k"]);
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void A_string_longer_than_a_short_can_count_is_refused_on_write()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ArrayBufferWriter<byte>().WriteString(new string('x', 70_000)));
    }
}
