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

        Assert.True(server.ConnectionCount >= 4, $"{server.ConnectionCount} connections were opened in all");
    }
}
