using System.Net;
using IdResolution.Cql.Cluster;
using IdResolution.Cql.Execution;
using IdResolution.Cql.Routing;
using IdResolution.Cql.Tests.Execution;

namespace IdResolution.Cql.Tests.Cluster;

public sealed class TokenAwarePlannerTests
{
    // Three local nodes own tokens 0, 100, 200; a remote one owns 50. With SimpleStrategy(2) and
    // NetworkTopologyStrategy(dc1: 2), token 150 belongs to the node at 200, then the one at 0 (wrapping).
    private static readonly CqlHostInfo A = Host(1, "dc1");
    private static readonly CqlHostInfo B = Host(2, "dc1");
    private static readonly CqlHostInfo C = Host(3, "dc1");
    private static readonly CqlHostInfo Remote = Host(4, "dc2");
    private static readonly TokenRing Ring = new([(A, ["0"]), (B, ["100"]), (C, ["200"]), (Remote, ["50"])]);

    private static CqlHostInfo Host(int n, string dc) =>
        new(new Guid(n, 0, 0, new byte[8]), new IPEndPoint(IPAddress.Parse($"10.0.0.{n}"), 9042), dc, "r1");

    private static (TokenAwarePlanner Planner, Dictionary<CqlHostInfo, ScriptedNode> Nodes) Planner()
    {
        var nodes = new[] { A, B, C, Remote }.ToDictionary(host => host, host => new ScriptedNode(host.Address.ToString(), _ => throw new InvalidOperationException()));
        var planner = new TokenAwarePlanner("dc1");
        planner.Update(Ring, new NetworkTopologyStrategy(new Dictionary<string, int> { ["dc1"] = 2, ["dc2"] = 1 }), nodes.Select(pair => (pair.Key, (ICqlRequestChannel)pair.Value)));
        return (planner, nodes);
    }

    [Fact]
    public void The_replicas_of_the_token_come_first_then_the_other_local_nodes_and_never_the_remote_one()
    {
        var (planner, nodes) = Planner();

        for (var i = 0; i < 4; i++)
        {
            var plan = planner.Plan(150).ToList();
            Assert.Equal(3, plan.Count);
            Assert.Equal(new HashSet<ICqlRequestChannel> { nodes[C], nodes[A] }, plan.Take(2).ToHashSet());
            Assert.Same(nodes[B], plan[2]);
        }
    }

    [Fact]
    public void Replicas_take_turns_as_the_first_choice()
    {
        var (planner, nodes) = Planner();

        var firsts = Enumerable.Range(0, 10).Select(_ => planner.Plan(150).First()).ToList();

        Assert.Contains(nodes[C], firsts);
        Assert.Contains(nodes[A], firsts);
    }

    [Fact]
    public void A_node_marked_down_is_skipped_until_it_is_marked_up()
    {
        var (planner, nodes) = Planner();

        planner.MarkDown(C.HostId);
        Assert.DoesNotContain(nodes[C], planner.Plan(150));
        Assert.Same(nodes[A], planner.Plan(150).First());

        planner.MarkUp(C.HostId);
        Assert.Contains(nodes[C], planner.Plan(150));
    }

    [Fact]
    public void Without_a_token_every_local_node_is_offered_and_the_first_rotates()
    {
        var (planner, nodes) = Planner();

        var firsts = Enumerable.Range(0, 9).Select(_ => planner.Plan(null).First()).ToHashSet();

        Assert.Equal(3, planner.Plan(null).Count());
        Assert.Equal(new HashSet<ICqlRequestChannel> { nodes[A], nodes[B], nodes[C] }, firsts);
    }

    [Fact]
    public void A_node_marked_down_stays_down_when_the_topology_is_read_again()
    {
        var (planner, nodes) = Planner();
        planner.MarkDown(C.HostId);

        planner.Update(Ring, new NetworkTopologyStrategy(new Dictionary<string, int> { ["dc1"] = 2 }), nodes.Select(pair => (pair.Key, (ICqlRequestChannel)pair.Value)));

        Assert.DoesNotContain(nodes[C], planner.Plan(150));
    }
}
