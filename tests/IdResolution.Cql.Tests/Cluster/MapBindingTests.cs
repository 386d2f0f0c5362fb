using IdResolution.Cql.Cluster;
using IdResolution.Cql.Execution;
using IdResolution.Cql.Protocol;
using IdResolution.Cql.Tests.Server;

namespace IdResolution.Cql.Tests.Cluster;

/// <summary>A map column bound from generic dictionaries through a session on a three-node fake cluster.</summary>
public sealed class MapBindingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_map_binds_from_a_dictionary_and_a_read_only_dictionary_on_three_nodes()
    {
        var cluster = new FakeCluster();
        await using (var bootstrap = await CqlSession.ConnectAsync(cluster.ClientOptions(), Ct))
        {
            await bootstrap.ExecuteAsync(new CqlStatement("CREATE KEYSPACE ks WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3}"), Ct);
            await bootstrap.ExecuteAsync(new CqlStatement("CREATE TABLE ks.items (id text PRIMARY KEY, attrs map<text, text>, counts map<text, bigint>)"), Ct);
        }

        await using var kit = await FakeClusterKit.StartAsync(cluster, options => options with { Keyspace = "ks" });
        IReadOnlyDictionary<string, long> counts = new Dictionary<string, long> { ["n"] = 2 };

        await kit.Session.ExecuteAsync(new CqlStatement("INSERT INTO items (id, attrs, counts) VALUES (?, ?, ?)", "88.709.911/M", new Dictionary<string, string> { ["k"] = "v" }, counts), Ct);

        var execute = Assert.Single(cluster.Nodes.SelectMany(node => node.Server.Received), request => request.Opcode == CqlOpcode.Execute);
        Assert.Contains(Convert.ToHexString("k"u8) + "00000001" + Convert.ToHexString("v"u8), Convert.ToHexString(execute.Body), StringComparison.Ordinal);
    }
}
