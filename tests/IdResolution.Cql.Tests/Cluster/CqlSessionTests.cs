using IdResolution.Cql.Cluster;
using IdResolution.Cql.Errors;
using IdResolution.Cql.Execution;
using IdResolution.Cql.Protocol;
using IdResolution.Cql.Tests.Server;

namespace IdResolution.Cql.Tests.Cluster;

/// <summary>A session against the loopback server standing in for a one-node cluster (Cassandra cannot run here).</summary>
public sealed class CqlSessionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static CqlClusterOptions Options(LoopbackCqlServer server) => new()
    {
        ContactPoints = [server.EndPoint.Address.ToString()],
        Port = server.EndPoint.Port,
        LocalDataCenter = "dc1",
        ConnectionsPerHost = 1,
        MaxReconnectDelay = TimeSpan.FromMilliseconds(500),
    };

    [Fact]
    public async Task A_session_finds_the_node_through_its_system_tables_and_runs_statements_on_it()
    {
        await using var server = new LoopbackCqlServer(SystemTables.Node("dc1", _ => ServerReply.Rows("hello")));
        await using var session = await CqlSession.ConnectAsync(Options(server), Ct);

        var rows = await session.ExecuteAsync(new CqlStatement("SELECT value FROM ks.t"), Ct);

        Assert.Equal("hello", rows[0].Get<string>("value"));
        Assert.Equal(server.EndPoint, Assert.Single(session.LocalNodes));
        Assert.Contains(server.Received, request => request.Opcode == CqlOpcode.Register);
    }

    [Fact]
    public async Task Contact_points_may_carry_their_port_and_names_that_do_not_resolve_are_passed_over()
    {
        await using var server = new LoopbackCqlServer(SystemTables.Node("dc1", _ => ServerReply.Rows("hello")));
        await using var session = await CqlSession.ConnectAsync(
            Options(server) with { ContactPoints = ["no-such-host.invalid", $"127.0.0.1:{server.EndPoint.Port}"], Port = 1 }, Ct);

        Assert.Equal("hello", (await session.ExecuteAsync(new CqlStatement("SELECT value FROM ks.t"), Ct))[0].Get<string>("value"));
    }

    [Fact]
    public async Task A_node_that_forgot_a_prepared_statement_gets_it_again_and_the_caller_never_knows()
    {
        var id = new byte[] { 0xAB, 0xCD };
        var forgotten = 1;
        await using var server = new LoopbackCqlServer(SystemTables.Node("dc1", request => request.Opcode switch
        {
            CqlOpcode.Prepare => PreparedReplies.OneTextMarker(id),
            CqlOpcode.Execute when Interlocked.Exchange(ref forgotten, 0) == 1 => ServerReply.Unprepared("Prepared query with ID abcd not found", id),
            _ => ServerReply.Rows("found"),
        }));
        await using var session = await CqlSession.ConnectAsync(Options(server), Ct);

        var rows = await session.ExecuteAsync(new CqlStatement("SELECT value FROM t WHERE key = ?", "88.709.911/A"), Ct);

        Assert.Equal("found", rows[0].Get<string>("value"));
        Assert.Equal(2, server.Received.Count(request => request.Opcode == CqlOpcode.Prepare));
        Assert.Equal(2, server.Received.Count(request => request.Opcode == CqlOpcode.Execute));
    }

    [Fact]
    public async Task An_overloaded_node_with_no_other_to_turn_to_is_reported_as_overloaded()
    {
        await using var server = new LoopbackCqlServer(SystemTables.Node("dc1", _ => ServerReply.Overloaded("too many requests")));
        await using var session = await CqlSession.ConnectAsync(Options(server), Ct);

        var failure = await Assert.ThrowsAsync<CqlOverloadedException>(() => session.ExecuteAsync(new CqlStatement("SELECT value FROM ks.t"), Ct));

        Assert.Equal("too many requests", failure.Message);
    }

    [Fact]
    public async Task A_session_refuses_a_data_centre_the_cluster_does_not_have()
    {
        await using var server = new LoopbackCqlServer(SystemTables.Node("dc1", _ => ServerReply.Void));

        var failure = await Assert.ThrowsAsync<CqlNoHostAvailableException>(() => CqlSession.ConnectAsync(Options(server) with { LocalDataCenter = "dc9" }, Ct));

        Assert.Contains("dc1", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_contact_point_answering_is_a_clear_error()
    {
        var port = new LoopbackCqlServer();
        var closedPort = port.EndPoint.Port;
        await port.DisposeAsync();

        await Assert.ThrowsAsync<CqlNoHostAvailableException>(() => CqlSession.ConnectAsync(
            new CqlClusterOptions { ContactPoints = ["127.0.0.1"], Port = closedPort, LocalDataCenter = "dc1", ConnectTimeout = TimeSpan.FromSeconds(2) }, Ct));
    }

    [Fact]
    public async Task After_every_connection_is_dropped_the_session_reconnects_without_being_restarted()
    {
        await using var server = new LoopbackCqlServer(SystemTables.Node("dc1", _ => ServerReply.Rows("again")));
        await using var session = await CqlSession.ConnectAsync(Options(server), Ct);
        Assert.Equal("again", (await session.ExecuteAsync(new CqlStatement("SELECT value FROM ks.t"), Ct))[0].Get<string>("value"));

        var before = server.ConnectionCount;
        server.KillAllConnections();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                var rows = await session.ExecuteAsync(new CqlStatement("SELECT value FROM ks.t"), Ct);
                Assert.Equal("again", rows[0].Get<string>("value"));
                break;
            }
            catch (Exception failure) when (failure is CqlConnectionException or CqlNoHostAvailableException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20, Ct);
            }
        }

        // The pool's connection came back for the statement; the control connection comes back too.
        while (server.OpenConnectionCount < 2 || server.ConnectionCount < before + 2)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{server.OpenConnectionCount} connections open, {server.ConnectionCount - before} opened since the drop");
            await Task.Delay(20, Ct);
        }
    }
}
