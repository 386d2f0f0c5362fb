using System.Net;
using IdResolution.Cql.Errors;
using IdResolution.Cql.Protocol;
using IdResolution.Cql.Protocol.Responses;

namespace IdResolution.Cql.Tests.Protocol;

public sealed class EventAndHandshakeResponseTests
{
    private static SpecBytes TopologyChange() => new SpecBytes()
        .String("TOPOLOGY_CHANGE").String("NEW_NODE")
        .Byte(4).Raw(10, 0, 0, 7).Int(9042); // [inet]: size, address, [int] port

    private static SpecBytes StatusChangeV6() => new SpecBytes()
        .String("STATUS_CHANGE").String("DOWN")
        .Byte(16).Raw(0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1).Int(9042);

    [Fact]
    public void Topology_change_carries_the_node_address()
    {
        // native_protocol_v4.spec §4.2.6 TOPOLOGY_CHANGE: <change [string]><address [inet]>.
        var e = Assert.IsType<TopologyChangeEvent>(Assert.IsType<EventResponse>(CqlResponseReader.Read(CqlOpcode.Event, TopologyChange().ToArray())).Event);

        Assert.Equal("NEW_NODE", e.Change);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.7"), 9042), e.Address);
    }

    [Fact]
    public void Status_change_reads_an_ipv6_inet()
    {
        // native_protocol_v4.spec §3 [inet] with a 16-byte address; §4.2.6 STATUS_CHANGE.
        var e = Assert.IsType<StatusChangeEvent>(Assert.IsType<EventResponse>(CqlResponseReader.Read(CqlOpcode.Event, StatusChangeV6().ToArray())).Event);

        Assert.Equal("DOWN", e.Change);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8::1"), 9042), e.Address);
    }

    [Theory]
    [InlineData("KEYSPACE", null)]
    [InlineData("TABLE", "t")]
    [InlineData("TYPE", "addr")]
    public void Schema_change_event_options_follow_the_target(string target, string? name)
    {
        // native_protocol_v4.spec §4.2.6 SCHEMA_CHANGE: <change_type><target><options>.
        var body = new SpecBytes().String("SCHEMA_CHANGE").String("UPDATED").String(target).String("ks");
        if (name is not null)
        {
            body.String(name);
        }

        var change = Assert.IsType<SchemaChangeEvent>(Assert.IsType<EventResponse>(CqlResponseReader.Read(CqlOpcode.Event, body.ToArray())).Event).Change;

        Assert.Equal(("UPDATED", target, "ks", name), (change.ChangeType, change.Target, change.Keyspace, change.Name));
        Assert.Empty(change.ArgumentTypes);
    }

    [Fact]
    public void Schema_change_of_a_function_lists_argument_types()
    {
        // native_protocol_v4.spec §4.2.6: FUNCTION/AGGREGATE add a [string list] of argument types.
        var body = new SpecBytes().String("SCHEMA_CHANGE").String("DROPPED").String("AGGREGATE").String("ks").String("avg2").StringList("int", "int");

        var change = Assert.IsType<SchemaChangeEvent>(Assert.IsType<EventResponse>(CqlResponseReader.Read(CqlOpcode.Event, body.ToArray())).Event).Change;

        Assert.Equal("avg2", change.Name);
        Assert.Equal(["int", "int"], change.ArgumentTypes);
    }

    [Fact]
    public void Unknown_event_types_and_targets_are_protocol_errors()
    {
        Assert.Throws<CqlProtocolException>(() => CqlResponseReader.Read(CqlOpcode.Event, new SpecBytes().String("WEATHER_CHANGE").ToArray()));
        Assert.Throws<CqlProtocolException>(
            () => CqlResponseReader.Read(CqlOpcode.Event, new SpecBytes().String("SCHEMA_CHANGE").String("CREATED").String("MOON").String("ks").ToArray()));
    }

    [Fact]
    public void Every_truncation_of_an_event_is_a_protocol_error()
    {
        Truncation.AssertEveryPrefixIsAProtocolError(CqlOpcode.Event, TopologyChange().ToArray());
        Truncation.AssertEveryPrefixIsAProtocolError(CqlOpcode.Event, StatusChangeV6().ToArray());
    }

    [Fact]
    public void Handshake_responses_decode()
    {
        // native_protocol_v4.spec §4.2.2 READY (empty), §4.2.3 AUTHENTICATE [string], §4.2.7/§4.2.8 [bytes] tokens.
        Assert.IsType<ReadyResponse>(CqlResponseReader.Read(CqlOpcode.Ready, Array.Empty<byte>()));
        Assert.Equal(
            "org.apache.cassandra.auth.PasswordAuthenticator",
            Assert.IsType<AuthenticateResponse>(CqlResponseReader.Read(CqlOpcode.Authenticate, new SpecBytes().String("org.apache.cassandra.auth.PasswordAuthenticator").ToArray())).Authenticator);
        Assert.Equal(new byte[] { 5 }, Assert.IsType<AuthChallengeResponse>(CqlResponseReader.Read(CqlOpcode.AuthChallenge, new SpecBytes().Bytes(5).ToArray())).Token!.Value.ToArray());
        Assert.Null(Assert.IsType<AuthSuccessResponse>(CqlResponseReader.Read(CqlOpcode.AuthSuccess, new SpecBytes().Int(-1).ToArray())).Token);
    }

    [Fact]
    public void Supported_is_a_string_multimap()
    {
        // native_protocol_v4.spec §4.2.4; §3 [string multimap].
        var body = new SpecBytes().Short(2)
            .String("CQL_VERSION").StringList("3.4.5")
            .String("PROTOCOL_VERSIONS").StringList("3/v3", "4/v4", "5/v5")
            .ToArray();

        var options = Assert.IsType<SupportedResponse>(CqlResponseReader.Read(CqlOpcode.Supported, body)).Options;

        Assert.Equal(["3.4.5"], options["CQL_VERSION"]);
        Assert.Equal(["3/v3", "4/v4", "5/v5"], options["PROTOCOL_VERSIONS"]);
        Truncation.AssertEveryPrefixIsAProtocolError(CqlOpcode.Supported, body);
    }

    [Fact]
    public void A_request_opcode_is_not_a_response()
    {
        Assert.Throws<CqlProtocolException>(() => CqlResponseReader.Read(CqlOpcode.Query, Array.Empty<byte>()));
    }
}
