using System.Net;
using System.Net.Sockets;
using IdResolution.LoadTests.Harness;

namespace IdResolution.LoadTests.Tests;

/// <summary>What the harness sets up before any load when it starts nodes itself: command lines, ports, datasets, arguments.</summary>
public sealed class NodeSetupTests
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "planned-hierarchy");

    [Fact]
    public void Each_node_runs_from_its_readme_settings_file_on_its_own_loopback_ports_in_its_own_directory()
    {
        var repository = HierarchyPlan.Repository();
        var plan = HierarchyPlan.Create(repository, Root);

        Assert.Equal([HierarchyPlan.Top, HierarchyPlan.SecondaryA, HierarchyPlan.SecondaryB], plan.Nodes.Select(node => node.Name));
        Assert.Equal(6, plan.Nodes.SelectMany(node => new[] { node.HttpPort, node.GrpcPort }).Distinct().Count());
        Assert.Equal(3, plan.Nodes.Select(node => node.Directory).Distinct().Count());
        foreach (var node in plan.Nodes)
        {
            Assert.Equal(Path.Combine(Root, node.Name), node.Directory);
            var config = Assert.Single(node.Arguments, argument => argument.StartsWith("--Config=", StringComparison.Ordinal));
            Assert.True(File.Exists(config["--Config=".Length..]), config);
            Assert.Contains("--Node:BindAddress=127.0.0.1", node.Arguments);
            Assert.Contains($"--Node:HttpPort={node.HttpPort}", node.Arguments);
            Assert.Contains($"--Node:GrpcPort={node.GrpcPort}", node.Arguments);
            Assert.Contains($"--Federation:AdvertisedEndpoints:Grpc=http://127.0.0.1:{node.GrpcPort}", node.Arguments);
            Assert.Contains($"--Federation:AdvertisedEndpoints:Http=http://127.0.0.1:{node.HttpPort}", node.Arguments);
            Assert.Equal(new Uri($"http://127.0.0.1:{node.GrpcPort}"), node.Grpc);
        }
    }

    [Fact]
    public void The_secondaries_are_children_of_the_top_level_at_its_grpc_port_and_hold_different_prefixes()
    {
        var plan = HierarchyPlan.Create(HierarchyPlan.Repository(), Root);
        var top = plan[HierarchyPlan.Top];

        Assert.Null(top.Parent);
        Assert.DoesNotContain(top.Arguments, argument => argument.StartsWith("--Federation:Parent", StringComparison.Ordinal));
        Assert.Equal("88", top.Prefix);
        foreach (var (name, prefix) in new[] { (HierarchyPlan.SecondaryA, "88.709"), (HierarchyPlan.SecondaryB, "88.710") })
        {
            var child = plan[name];
            Assert.Equal(HierarchyPlan.Top, child.Parent);
            Assert.Equal(prefix, child.Prefix);
            Assert.Contains($"--Federation:Parent:Endpoints:0=http://127.0.0.1:{top.GrpcPort}", child.Arguments);
        }
    }

    [Fact]
    public void Every_node_runs_with_the_rate_limiter_on_and_limits_above_any_offered_load()
    {
        var plan = HierarchyPlan.Create(HierarchyPlan.Repository(), Root);

        Assert.All(plan.Nodes, node =>
        {
            Assert.Contains("--RateLimits:Enabled=true", node.Arguments);
            foreach (var budget in new[] { "Resolution", "Writes", "Peers" })
            {
                Assert.Contains($"--RateLimits:{budget}:PermitsPerSecond=1000000", node.Arguments);
                Assert.Contains($"--RateLimits:{budget}:Burst=1000000", node.Arguments);
            }
        });
    }

    [Fact]
    public void Spare_ports_are_different_and_free_on_loopback()
    {
        var ports = HierarchyPlan.SparePorts(8);

        Assert.Equal(8, ports.Distinct().Count());
        foreach (var port in ports)
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
        }
    }

    [Fact]
    public void A_dataset_names_its_identifiers_under_the_node_prefix_it_is_given()
    {
        var foreign = new Dataset(500, "88.709");
        var own = new Dataset(500, "88.710");
        var random = new Random(7);

        Assert.Equal("88.709.107/ITEM-00000007", foreign.Handle(7));
        Assert.Equal("88.710.107/ITEM-00000007", own.Handle(7));
        Assert.All(Enumerable.Range(0, 200).Select(_ => own.Draw(random)), handle => Assert.StartsWith("88.710.1", handle, StringComparison.Ordinal));
    }

    [Fact]
    public void Federation_is_its_own_run_and_not_part_of_all()
    {
        Assert.True(HarnessOptions.TryParse(["federation", "--seconds", "20"], out var federation, out _));
        Assert.Equal(["federation"], federation.Scenarios);
        Assert.True(HarnessOptions.TryParse(["all"], out var all, out _));
        Assert.DoesNotContain("federation", all.Scenarios);

        Assert.False(HarnessOptions.TryParse(["federation", "resolve-hot"], out _, out var error));
        Assert.Contains("on its own", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_node_of_its_own_gets_spare_ports_the_production_settings_and_the_given_settings_last()
    {
        var node = HierarchyPlan.Standalone(Path.Combine(Root, "node"), ["--Store:StallMilliseconds=500", "--Registry:MaxResolveBatch=50"]);

        Assert.NotEqual(node.HttpPort, node.GrpcPort);
        Assert.Null(node.Parent);
        Assert.Contains("--Node:BindAddress=127.0.0.1", node.Arguments);
        Assert.Contains("--RateLimits:Enabled=true", node.Arguments);
        Assert.DoesNotContain(node.Arguments, argument => argument.StartsWith("--Config=", StringComparison.Ordinal));

        // The configuration's last source wins: a given setting overrides the harness's own default.
        Assert.Equal("--Registry:MaxResolveBatch=50", node.Arguments[^1]);
        Assert.True(node.Arguments.ToList().IndexOf("--Registry:MaxResolveBatch=1000") < node.Arguments.Count - 1);
    }

    [Fact]
    public void Node_settings_and_a_store_stall_make_the_harness_start_its_own_node_with_them()
    {
        Assert.True(HarnessOptions.TryParse(["resolve-cold", "--rate", "1000"], out var plain, out _));
        Assert.False(plain.OwnNode);

        Assert.True(HarnessOptions.TryParse(["resolve-cold", "--node-setting", "Cache:MaxTtlSeconds=0", "--store-stall", "500:5000"], out var stalled, out var error), error);
        Assert.True(stalled.OwnNode);
        Assert.Equal(["--Cache:MaxTtlSeconds=0", "--Store:StallMilliseconds=500", "--Store:StallEvery=5000"], stalled.NodeSettings);

        Assert.True(HarnessOptions.TryParse(["resolve-hot", "--own-node"], out var own, out _));
        Assert.True(own.OwnNode);
        Assert.Empty(own.NodeSettings);
    }

    [Fact]
    public void Resolve_redis_always_runs_on_a_node_of_the_harness_s_own_and_is_not_part_of_all()
    {
        Assert.True(HarnessOptions.TryParse(["resolve-redis", "--seconds", "20"], out var redis, out var error), error);
        Assert.True(redis.OwnNode);
        Assert.True(HarnessOptions.TryParse(["all"], out var all, out _));
        Assert.DoesNotContain("resolve-redis", all.Scenarios);
        Assert.False(all.OwnNode);
    }

    [Fact]
    public void The_ceiling_is_asked_for_by_its_own_option_and_is_off_otherwise()
    {
        Assert.True(HarnessOptions.TryParse(["baseline-grpc", "--ceiling"], out var ceiling, out var error), error);
        Assert.True(ceiling.Ceiling);
        Assert.False(ceiling.OwnNode);
        Assert.True(HarnessOptions.TryParse(["baseline-grpc"], out var plain, out _));
        Assert.False(plain.Ceiling);
    }
}
