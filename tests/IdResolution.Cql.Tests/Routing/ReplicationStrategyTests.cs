using IdResolution.Cql.Routing;

namespace IdResolution.Cql.Tests.Routing;

public sealed class ReplicationStrategyTests
{
    [Fact]
    public void Simple_strategy_reads_its_factor()
    {
        var strategy = ReplicationStrategy.FromSchema(new Dictionary<string, string>
        {
            ["class"] = "org.apache.cassandra.locator.SimpleStrategy",
            ["replication_factor"] = "3",
        });

        Assert.Equal(new SimpleStrategy(3), strategy);
    }

    [Fact]
    public void Network_topology_strategy_reads_each_data_centre_and_counts_transient_replicas()
    {
        var strategy = ReplicationStrategy.FromSchema(new Dictionary<string, string>
        {
            ["class"] = "org.apache.cassandra.locator.NetworkTopologyStrategy",
            ["dc1"] = "3",
            ["dc2"] = "3/1",
        });

        Assert.Equal(new NetworkTopologyStrategy(new Dictionary<string, int> { ["dc1"] = 3, ["dc2"] = 3 }), strategy);
    }

    [Theory]
    [InlineData("org.apache.cassandra.locator.LocalStrategy")]
    [InlineData("org.apache.cassandra.locator.EverywhereStrategy")]
    public void Strategies_that_cannot_be_placed_give_none(string className)
    {
        Assert.Null(ReplicationStrategy.FromSchema(new Dictionary<string, string> { ["class"] = className }));
    }

    [Fact]
    public void A_factor_that_is_not_a_number_gives_none()
    {
        Assert.Null(ReplicationStrategy.FromSchema(new Dictionary<string, string>
        {
            ["class"] = "SimpleStrategy",
            ["replication_factor"] = "three",
        }));
    }
}
