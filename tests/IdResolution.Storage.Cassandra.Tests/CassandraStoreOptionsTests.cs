namespace IdResolution.Storage.Cassandra.Tests;

public sealed class CassandraStoreOptionsTests
{
    private static CassandraStoreOptions Valid() => new() { ContactPoints = "10.0.0.1, 10.0.0.2:9142,,", LocalDataCenter = "dc1" };

    [Fact]
    public void The_defaults_with_a_local_data_centre_are_valid_and_safe_for_production()
    {
        var options = Valid();

        Assert.Empty(CassandraStoreOptionsValidation.Problems(options));
        Assert.False(options.CreateSchema);
        Assert.Equal("LOCAL_QUORUM", options.Consistency);
        Assert.Equal("LOCAL_SERIAL", options.SerialConsistency);
        Assert.Equal(9042, options.Port);
        Assert.Equal("idresolution", options.Keyspace);
    }

    [Fact]
    public void Contact_points_are_trimmed_and_empty_entries_dropped() =>
        Assert.Equal(["10.0.0.1", "10.0.0.2:9142"], Valid().ContactPointList());

    [Fact]
    public void Without_a_local_data_centre_the_options_are_refused()
    {
        var problem = Assert.Single(CassandraStoreOptionsValidation.Problems(new CassandraStoreOptions()));

        Assert.Contains("LocalDataCenter", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_named_at_once()
    {
        var options = new CassandraStoreOptions
        {
            ContactPoints = " , ",
            Port = 0,
            LocalDataCenter = "dc1",
            Username = "idres",
            CaCertificatePath = "/etc/ca.pem",
            ClientCertificatePath = "/etc/client.pem",
            Keyspace = "1bad",
            Consistency = "ONE",
            SerialConsistency = "QUORUM",
            ListingBuckets = 0,
            RequestTimeoutMilliseconds = 0,
        };

        var problems = CassandraStoreOptionsValidation.Problems(options);

        string[] named = ["ContactPoints", "Port", "Password", "Tls", "ClientKeyPath", "Keyspace", "Consistency is 'ONE'; allowed: LOCAL_QUORUM", "SerialConsistency", "ListingBuckets", "RequestTimeoutMilliseconds"];
        Assert.Equal(named.Length, problems.Count);
        Assert.All(named, name => Assert.Contains(problems, p => p.Contains(name, StringComparison.Ordinal)));
    }

    [Fact]
    public void Creating_the_schema_needs_replicas_in_at_least_one_data_centre()
    {
        var options = Valid();
        options.CreateSchema = true;
        options.Replication["dc2"] = 0;

        var problem = Assert.Single(CassandraStoreOptionsValidation.Problems(options));

        Assert.Equal("Cassandra:Replication:dc2 is 0; allowed: a data centre name with at least 1 replica.", problem);
    }

    /// <summary>The one-line form of every other setting: full key, value, allowed range.</summary>
    [Fact]
    public void A_problem_names_the_key_its_value_and_the_allowed_range()
    {
        var options = Valid();
        options.Port = 70000;
        options.BatchConcurrency = 0;

        Assert.Equal(["Cassandra:Port is 70000; allowed: 1 to 65535.", "Cassandra:BatchConcurrency is 0; allowed: 1 to 4096."], CassandraStoreOptionsValidation.Problems(options));
    }

    [Fact]
    public void Replication_defaults_to_the_local_data_centre_with_the_replication_factor()
    {
        var options = Valid();
        options.ReplicationFactor = 1;

        Assert.Equal(new Dictionary<string, int> { ["dc1"] = 1 }, options.EffectiveReplication());

        options.Replication["eu"] = 3;
        options.Replication["us"] = 3;
        Assert.Equal(new Dictionary<string, int> { ["eu"] = 3, ["us"] = 3 }, options.EffectiveReplication());
    }
}
