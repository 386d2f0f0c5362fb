using System.Buffers;
using IdResolution.Cql.Errors;
using IdResolution.Cql.Protocol;
using IdResolution.Cql.Protocol.Requests;

namespace IdResolution.Cql.Tests.Protocol;

public sealed class RequestTests
{
    [Fact]
    public void A_startup_frame_matches_the_spec_byte_for_byte()
    {
        // native_protocol_v4.spec §2 (frame header) and §4.1.1 (STARTUP: [string map] with CQL_VERSION).
        byte[] expected =
        [
            0x04, // version: v4 request
            0x00, // flags
            0x00, 0x07, // stream 7
            0x01, // opcode STARTUP
            0x00, 0x00, 0x00, 0x16, // body length 22
            0x00, 0x01, // [string map] of 1 pair
            0x00, 0x0B, (byte)'C', (byte)'Q', (byte)'L', (byte)'_', (byte)'V', (byte)'E', (byte)'R', (byte)'S', (byte)'I', (byte)'O', (byte)'N',
            0x00, 0x05, (byte)'3', (byte)'.', (byte)'0', (byte)'.', (byte)'0',
        ];

        Assert.Equal(expected, RequestEncoding.Frame(new StartupRequest(), streamId: 7));
    }

    [Fact]
    public void Startup_with_compression_adds_the_option()
    {
        // native_protocol_v4.spec §4.1.1: COMPRESSION is optional.
        var expected = new SpecBytes().Short(2).String("CQL_VERSION").String("3.0.0").String("COMPRESSION").String("lz4").ToArray();

        Assert.Equal(expected, RequestEncoding.Body(new StartupRequest("lz4")));
    }

    [Fact]
    public void Auth_response_carries_the_sasl_plain_token()
    {
        // native_protocol_v4.spec §4.1.2: a [bytes] token; PasswordAuthenticator reads \0user\0password.
        var expected = new SpecBytes().Bytes(0, (byte)'u', 0, (byte)'p', (byte)'w').ToArray();

        Assert.Equal(expected, RequestEncoding.Body(AuthResponseRequest.PlainText("u", "pw")));
    }

    [Fact]
    public void Options_has_an_empty_body()
    {
        // native_protocol_v4.spec §4.1.3.
        var frame = RequestEncoding.Frame(new OptionsRequest(), streamId: 0);

        Assert.Equal(new byte[] { 0x04, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00 }, frame);
    }

    [Fact]
    public void Query_with_values_page_size_and_paging_state()
    {
        var parameters = new CqlQueryParameters(
            CqlConsistency.LocalQuorum,
            Values: [CqlValue.Of(new byte[] { 0, 0, 0, 42 }), CqlValue.Null, CqlValue.NotSet],
            PageSize: 5000,
            PagingState: new byte[] { 0xAB, 0xCD });

        // native_protocol_v4.spec §4.1.4: <query><consistency><flags>[n values][page_size][paging_state].
        var expected = new SpecBytes()
            .LongString("SELECT * FROM t WHERE k = ?")
            .Short(0x0006) // LOCAL_QUORUM
            .Byte(0x01 | 0x04 | 0x08) // values, page size, paging state
            .Short(3).Bytes(0, 0, 0, 42).Int(-1).Int(-2) // a value, null, not set
            .Int(5000)
            .Bytes(0xAB, 0xCD)
            .ToArray();

        Assert.Equal(expected, RequestEncoding.Body(new QueryRequest("SELECT * FROM t WHERE k = ?", parameters)));
    }

    [Fact]
    public void Query_with_every_optional_parameter_keeps_the_spec_order()
    {
        var parameters = new CqlQueryParameters(
            CqlConsistency.Quorum,
            SkipMetadata: true,
            SerialConsistency: CqlConsistency.LocalSerial,
            DefaultTimestamp: 1_700_000_000_000_000);

        // native_protocol_v4.spec §4.1.4: flags 0x02 skip metadata, 0x10 serial consistency, 0x20 timestamp.
        var expected = new SpecBytes()
            .LongString("UPDATE t SET v = 1 WHERE k = 1 IF EXISTS")
            .Short(0x0004)
            .Byte(0x02 | 0x10 | 0x20)
            .Short(0x0009)
            .Long(1_700_000_000_000_000)
            .ToArray();

        Assert.Equal(expected, RequestEncoding.Body(new QueryRequest("UPDATE t SET v = 1 WHERE k = 1 IF EXISTS", parameters)));
    }

    [Fact]
    public void Prepare_carries_the_query_as_a_long_string()
    {
        // native_protocol_v4.spec §4.1.5.
        Assert.Equal(new SpecBytes().LongString("SELECT 1").ToArray(), RequestEncoding.Body(new PrepareRequest("SELECT 1")));
    }

    [Fact]
    public void Execute_starts_with_the_prepared_id_as_short_bytes()
    {
        var request = new ExecuteRequest(
            new byte[] { 0xDE, 0xAD, 0xBE, 0xEF },
            new CqlQueryParameters(CqlConsistency.One, Values: [CqlValue.Of(new byte[] { 7 })], SkipMetadata: true));

        // native_protocol_v4.spec §4.1.6: <id><query_parameters>.
        var expected = new SpecBytes()
            .ShortBytes(0xDE, 0xAD, 0xBE, 0xEF)
            .Short(0x0001)
            .Byte(0x01 | 0x02)
            .Short(1).Bytes(7)
            .ToArray();

        Assert.Equal(expected, RequestEncoding.Body(request));
    }

    [Fact]
    public void Batch_mixes_query_strings_and_prepared_ids()
    {
        var request = new BatchRequest(
            CqlBatchType.Unlogged,
            [
                CqlBatchStatement.ForQuery("INSERT INTO t (k) VALUES (1)"),
                CqlBatchStatement.ForPrepared(new byte[] { 0x01, 0x02 }, [CqlValue.Of(new byte[] { 9 }), CqlValue.Null]),
            ],
            CqlConsistency.Quorum,
            SerialConsistency: CqlConsistency.Serial,
            DefaultTimestamp: 12345);

        // native_protocol_v4.spec §4.1.7: <type><n><query_1>...<query_n><consistency><flags>[<serial>][<timestamp>],
        // each query <kind><string_or_id><n><value_1>...<value_n> with the count always present.
        var expected = new SpecBytes()
            .Byte(1) // unlogged
            .Short(2)
            .Byte(0).LongString("INSERT INTO t (k) VALUES (1)").Short(0)
            .Byte(1).ShortBytes(0x01, 0x02).Short(2).Bytes(9).Int(-1)
            .Short(0x0004)
            .Byte(0x10 | 0x20)
            .Short(0x0008)
            .Long(12345)
            .ToArray();

        Assert.Equal(expected, RequestEncoding.Body(request));
    }

    [Fact]
    public void Register_lists_the_event_types()
    {
        // native_protocol_v4.spec §4.1.8.
        var expected = new SpecBytes().StringList("TOPOLOGY_CHANGE", "STATUS_CHANGE").ToArray();

        Assert.Equal(expected, RequestEncoding.Body(new RegisterRequest(["TOPOLOGY_CHANGE", "STATUS_CHANGE"])));
    }

    [Fact]
    public void A_request_on_a_negative_stream_is_refused()
    {
        // native_protocol_v4.spec §2.3: negative stream ids are reserved for the server.
        Assert.Throws<ArgumentOutOfRangeException>(
            () => CqlRequestFrameWriter.Write(new ArrayBufferWriter<byte>(), 4, -1, new OptionsRequest()));
    }
}
