using IdResolution.Cql.Connections;
using IdResolution.Cql.Errors;
using IdResolution.Cql.Protocol;
using IdResolution.Cql.Tests.Server;
using static IdResolution.Cql.Tests.Connections.ConnectionTestKit;

namespace IdResolution.Cql.Tests.Connections;

public sealed class KeyspaceTests
{
    private static ServerReply UseOnly(ReceivedRequest request, string known) =>
        request.QueryText == $"USE \"{known}\""
            ? ServerReply.SetKeyspace(known)
            : ServerReply.Error(CqlErrorCode.Invalid, $"Keyspace '{request.QueryText}' does not exist");

    [Fact]
    public async Task A_configured_keyspace_is_used_after_the_handshake()
    {
        await using var server = new LoopbackCqlServer(request => UseOnly(request, "IdRes"));

        await using var connection = await OpenAsync(server, new CqlConnectionOptions { Keyspace = "IdRes" });

        Assert.Equal(CqlOpcode.Query, server.Received.Last().Opcode);
        Assert.Equal("USE \"IdRes\"", server.Received.Last().QueryText);
    }

    [Fact]
    public async Task An_unknown_keyspace_fails_the_open_with_the_server_error()
    {
        await using var server = new LoopbackCqlServer(request => UseOnly(request, "idres"));

        await Assert.ThrowsAsync<CqlInvalidQueryException>(() => OpenAsync(server, new CqlConnectionOptions { Keyspace = "other" }));
    }

    [Fact]
    public void Quotes_in_a_keyspace_name_are_doubled()
    {
        Assert.Equal("USE \"a\"\"b\"", CqlHandshake.UseStatement("a\"b"));
    }
}
