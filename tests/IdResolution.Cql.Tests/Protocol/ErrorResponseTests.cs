using IdResolution.Cql.Errors;
using IdResolution.Cql.Protocol;
using IdResolution.Cql.Protocol.Responses;

namespace IdResolution.Cql.Tests.Protocol;

/// <summary>Every ERROR layout of native_protocol_v4.spec §9 (0x1600 and 0x1700 from native_protocol_v5.spec §9).</summary>
public sealed class ErrorResponseTests
{
    private static T Decode<T>(SpecBytes body)
        where T : CqlServerException
    {
        var response = Assert.IsType<ErrorResponse>(CqlResponseReader.Read(CqlOpcode.Error, body.ToArray()));
        return Assert.IsType<T>(response.Exception);
    }

    private static SpecBytes Error(int code, string message) => new SpecBytes().Int(code).String(message);

    [Theory]
    [InlineData(0x0000, typeof(CqlServerErrorException))]
    [InlineData(0x000A, typeof(CqlServerProtocolErrorException))]
    [InlineData(0x0100, typeof(CqlAuthenticationException))]
    [InlineData(0x1001, typeof(CqlOverloadedException))]
    [InlineData(0x1002, typeof(CqlBootstrappingException))]
    [InlineData(0x1003, typeof(CqlTruncateException))]
    [InlineData(0x1600, typeof(CqlCdcWriteFailureException))]
    [InlineData(0x2000, typeof(CqlSyntaxErrorException))]
    [InlineData(0x2100, typeof(CqlUnauthorizedException))]
    [InlineData(0x2200, typeof(CqlInvalidQueryException))]
    [InlineData(0x2300, typeof(CqlConfigurationException))]
    public void Message_only_errors_map_to_their_type(int code, Type expected)
    {
        // §9: <code><message> and nothing more for these codes.
        var response = Assert.IsType<ErrorResponse>(CqlResponseReader.Read(CqlOpcode.Error, Error(code, "boom").ToArray()));

        Assert.IsType(expected, response.Exception);
        Assert.Equal((CqlErrorCode)code, response.Exception.Code);
        Assert.Equal("boom", response.Exception.Message);
    }

    [Fact]
    public void An_unknown_code_surfaces_as_the_base_type()
    {
        var response = Assert.IsType<ErrorResponse>(CqlResponseReader.Read(CqlOpcode.Error, Error(0x7777, "new").ToArray()));

        Assert.Equal(typeof(CqlServerException), response.Exception.GetType());
        Assert.Equal((CqlErrorCode)0x7777, response.Exception.Code);
    }

    [Fact]
    public void Unavailable_carries_consistency_required_and_alive()
    {
        // §9 0x1000: <cl><required><alive>.
        var e = Decode<CqlUnavailableException>(Error(0x1000, "unavailable").Short(0x0004).Int(2).Int(1));

        Assert.Equal(CqlErrorCode.Unavailable, e.Code);
        Assert.Equal(CqlConsistency.Quorum, e.Consistency);
        Assert.Equal(2, e.Required);
        Assert.Equal(1, e.Alive);
    }

    [Fact]
    public void Write_timeout_carries_the_write_type()
    {
        // §9 0x1100: <cl><received><blockfor><writeType>.
        var e = Decode<CqlWriteTimeoutException>(Error(0x1100, "timeout").Short(0x0006).Int(1).Int(2).String("CAS"));

        Assert.Equal(CqlConsistency.LocalQuorum, e.Consistency);
        Assert.Equal(1, e.Received);
        Assert.Equal(2, e.BlockFor);
        Assert.Equal("CAS", e.WriteType);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(0x7F, true)]
    public void Read_timeout_reads_data_present_as_nonzero(byte dataPresent, bool expected)
    {
        // §9 0x1200: <cl><received><blockfor><data_present byte>.
        var e = Decode<CqlReadTimeoutException>(Error(0x1200, "timeout").Short(0x0001).Int(0).Int(1).Byte(dataPresent));

        Assert.Equal(CqlConsistency.One, e.Consistency);
        Assert.Equal(0, e.Received);
        Assert.Equal(1, e.BlockFor);
        Assert.Equal(expected, e.DataPresent);
    }

    [Fact]
    public void Read_failure_carries_the_v4_failure_count()
    {
        // §9 0x1300: <cl><received><blockfor><numfailures><data_present>.
        var e = Decode<CqlReadFailureException>(Error(0x1300, "failure").Short(0x0005).Int(2).Int(3).Int(1).Byte(1));

        Assert.Equal(CqlConsistency.All, e.Consistency);
        Assert.Equal(2, e.Received);
        Assert.Equal(3, e.BlockFor);
        Assert.Equal(1, e.Failures);
        Assert.True(e.DataPresent);
    }

    [Fact]
    public void Function_failure_names_the_function_and_argument_types()
    {
        // §9 0x1400: <keyspace><function><arg_types [string list]>.
        var e = Decode<CqlFunctionFailureException>(Error(0x1400, "udf threw").String("ks").String("f").StringList("int", "text"));

        Assert.Equal("ks", e.Keyspace);
        Assert.Equal("f", e.Function);
        Assert.Equal(["int", "text"], e.ArgumentTypes);
    }

    [Fact]
    public void Write_failure_carries_count_and_write_type()
    {
        // §9 0x1500: <cl><received><blockfor><numfailures><write_type>.
        var e = Decode<CqlWriteFailureException>(Error(0x1500, "failure").Short(0x0004).Int(1).Int(2).Int(1).String("BATCH_LOG"));

        Assert.Equal(CqlConsistency.Quorum, e.Consistency);
        Assert.Equal(1, e.Received);
        Assert.Equal(2, e.BlockFor);
        Assert.Equal(1, e.Failures);
        Assert.Equal("BATCH_LOG", e.WriteType);
    }

    [Fact]
    public void Cas_write_unknown_carries_consistency_received_and_blockfor()
    {
        // native_protocol_v5.spec §9 0x1700: <cl><received><blockfor>.
        var e = Decode<CqlCasWriteUnknownException>(Error(0x1700, "unknown").Short(0x0008).Int(1).Int(2));

        Assert.Equal(CqlConsistency.Serial, e.Consistency);
        Assert.Equal(1, e.Received);
        Assert.Equal(2, e.BlockFor);
    }

    [Fact]
    public void Already_exists_names_keyspace_and_table()
    {
        // §9 0x2400: <ks><table>; table is empty for a keyspace.
        var e = Decode<CqlAlreadyExistsException>(Error(0x2400, "exists").String("ks").String(""));

        Assert.Equal("ks", e.Keyspace);
        Assert.Equal("", e.Table);
    }

    [Fact]
    public void Unprepared_carries_the_unknown_id()
    {
        // §9 0x2500: [short bytes] unknown id.
        var e = Decode<CqlUnpreparedException>(Error(0x2500, "unprepared").ShortBytes(0xCA, 0xFE));

        Assert.Equal(new byte[] { 0xCA, 0xFE }, e.Id.ToArray());
    }

    [Fact]
    public void Every_truncation_of_every_layout_is_a_protocol_error()
    {
        SpecBytes[] bodies =
        [
            Error(0x1000, "m").Short(4).Int(2).Int(1),
            Error(0x1100, "m").Short(4).Int(1).Int(2).String("SIMPLE"),
            Error(0x1200, "m").Short(4).Int(1).Int(2).Byte(0),
            Error(0x1300, "m").Short(4).Int(1).Int(2).Int(1).Byte(0),
            Error(0x1400, "m").String("ks").String("f").StringList("int"),
            Error(0x1500, "m").Short(4).Int(1).Int(2).Int(1).String("SIMPLE"),
            Error(0x1700, "m").Short(8).Int(1).Int(2),
            Error(0x2400, "m").String("ks").String("t"),
            Error(0x2500, "m").ShortBytes(1, 2, 3),
        ];

        foreach (var body in bodies)
        {
            Truncation.AssertEveryPrefixIsAProtocolError(CqlOpcode.Error, body.ToArray());
        }
    }
}
