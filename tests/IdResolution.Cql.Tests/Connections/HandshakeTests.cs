using System.Net;
using System.Net.Sockets;
using System.Text;
using IdResolution.Cql.Connections;
using IdResolution.Cql.Errors;
using IdResolution.Cql.Protocol;
using IdResolution.Cql.Tests.Server;
using static IdResolution.Cql.Tests.Connections.ConnectionTestKit;

namespace IdResolution.Cql.Tests.Connections;

public sealed class HandshakeTests
{
    [Fact]
    public async Task Without_authentication_options_and_startup_reach_ready()
    {
        await using var server = new LoopbackCqlServer(_ => ServerReply.Rows("ok"));
        await using var connection = await OpenAsync(server);

        Assert.Equal(4, connection.ProtocolVersion);
        Assert.Equal([CqlOpcode.Options, CqlOpcode.Startup], server.Received.Select(r => r.Opcode));
        Assert.Equal(["3/v3", "4/v4"], connection.Supported!.Options["PROTOCOL_VERSIONS"]);
        Assert.Equal("ok", SingleValue(await connection.SendAsync("SELECT 1")));
    }

    [Fact]
    public async Task Startup_asks_for_cql_3()
    {
        await using var server = new LoopbackCqlServer();
        await using var connection = await OpenAsync(server, new CqlConnectionOptions { SendOptions = false });

        var startup = Assert.Single(server.Received);
        Assert.Equal(CqlOpcode.Startup, startup.Opcode);
        Assert.Equal("3.0.0", new CqlBodyReader(startup.Body).ReadStringMap()["CQL_VERSION"]);
    }

    [Fact]
    public async Task Password_authenticator_accepts_the_right_credentials_as_sasl_plain()
    {
        await using var server = new LoopbackCqlServer(_ => ServerReply.Rows("in"), credentials: ("cassandra", "s3cret"));
        var options = new CqlConnectionOptions { Authenticator = () => new PlainTextAuthenticator("cassandra", "s3cret") };

        await using var connection = await OpenAsync(server, options);

        var auth = Assert.Single(server.Received, r => r.Opcode == CqlOpcode.AuthResponse);
        Assert.Equal("\0cassandra\0s3cret", Encoding.UTF8.GetString(new CqlBodyReader(auth.Body).ReadBytes()!.Value.Span));
        Assert.Equal("in", SingleValue(await connection.SendAsync("SELECT 1")));
    }

    [Fact]
    public async Task Bad_credentials_are_an_authentication_exception()
    {
        await using var server = new LoopbackCqlServer(credentials: ("cassandra", "s3cret"));
        var options = new CqlConnectionOptions { Authenticator = () => new PlainTextAuthenticator("cassandra", "guess") };

        var error = await Assert.ThrowsAsync<CqlAuthenticationException>(() => OpenAsync(server, options));

        Assert.Equal(CqlErrorCode.AuthenticationError, error.Code);
        Assert.Contains("incorrect", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_requiring_authentication_without_configured_credentials_is_an_authentication_exception()
    {
        await using var server = new LoopbackCqlServer(credentials: ("cassandra", "s3cret"));

        var error = await Assert.ThrowsAsync<CqlAuthenticationException>(() => OpenAsync(server));

        Assert.Contains(LoopbackCqlServer.PasswordAuthenticator, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Received, r => r.Opcode == CqlOpcode.AuthResponse);
    }

    [Fact]
    public async Task A_v3_only_server_is_retried_once_with_v3_on_a_fresh_connection()
    {
        await using var server = new LoopbackCqlServer(_ => ServerReply.Rows("v3"), maxProtocolVersion: 3);

        await using var connection = await OpenAsync(server);

        Assert.Equal(3, connection.ProtocolVersion);
        Assert.Equal(2, server.ConnectionCount);
        Assert.Equal([(1, 4), (2, 3), (2, 3)], server.Received.Select(r => (r.ConnectionId, (int)r.Version)));
        Assert.Equal("v3", SingleValue(await connection.SendAsync("SELECT 1")));
        Assert.All(server.Received.Skip(1), r => Assert.Equal(3, r.Version));
    }

    [Fact]
    public async Task A_refusal_below_the_minimum_version_is_a_server_protocol_error()
    {
        await using var server = new LoopbackCqlServer(maxProtocolVersion: 3);

        var error = await Assert.ThrowsAsync<CqlServerProtocolErrorException>(
            () => OpenAsync(server, new CqlConnectionOptions { MinProtocolVersion = 4 }));

        Assert.Contains("unsupported protocol version", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.ConnectionCount);
    }

    [Fact]
    public async Task Nobody_listening_is_a_connection_exception()
    {
        // Bound but not listening: connecting is refused, and no other test can take the port meanwhile.
        using var bound = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        bound.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        var error = await Assert.ThrowsAsync<CqlConnectionException>(
            () => CqlConnection.OpenAsync(bound.LocalEndPoint!, new CqlConnectionOptions(), TestContext.Current.CancellationToken));
        Assert.IsType<SocketException>(error.InnerException);
    }
}
