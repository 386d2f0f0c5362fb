using System.Text.RegularExpressions;

namespace IdResolution.Storage.Cassandra.Tests;

public sealed partial class CassandraSchemaTests
{
    [Fact]
    public void The_operators_schema_file_holds_exactly_the_statements_the_store_creates()
    {
        var options = new CassandraStoreOptions { LocalDataCenter = "dc1", ReplicationFactor = 3 };
        var file = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "schema.cql"));

        var fromFile = SplitStatements(file);
        var fromCode = CassandraSchema.Statements(options).Select(Normalise).ToList();

        Assert.Equal(fromCode, fromFile);
    }

    [Fact]
    public void The_keyspace_takes_every_data_centre_in_name_order_with_quotes_escaped()
    {
        var options = new CassandraStoreOptions { Keyspace = "ids_test", LocalDataCenter = "ignored" };
        options.Replication["us-east"] = 3;
        options.Replication["eu'west"] = 2;

        var keyspace = CassandraSchema.Statements(options)[0];

        Assert.Equal(
            "CREATE KEYSPACE IF NOT EXISTS ids_test WITH replication = {'class': 'NetworkTopologyStrategy', 'eu''west': 2, 'us-east': 3} AND durable_writes = true;",
            keyspace);
    }

    [Fact]
    public void Every_table_is_created_in_the_configured_keyspace_and_only_if_missing()
    {
        var options = new CassandraStoreOptions { Keyspace = "ids_test", LocalDataCenter = "dc1" };

        var statements = CassandraSchema.Statements(options);

        Assert.Equal(7, statements.Count);
        Assert.All(statements, s => Assert.Contains(" IF NOT EXISTS ", s, StringComparison.Ordinal));
        Assert.Equal(
            [CassandraSchema.HandlesTable, CassandraSchema.ListingTable, CassandraSchema.SettingsTable,
                CassandraSchema.ChangeLogTable, CassandraSchema.CursorsTable, CassandraSchema.LeasesTable],
            statements.Skip(1).Select(s => TableName().Match(s).Groups["name"].Value));
        Assert.All(statements.Skip(1), s => Assert.StartsWith("CREATE TABLE IF NOT EXISTS ids_test.", s, StringComparison.Ordinal));
    }

    [Fact]
    public void The_change_log_is_one_partition_per_hour_in_position_order_compacted_by_time_window()
    {
        var log = Assert.Single(CassandraSchema.Statements(new CassandraStoreOptions { LocalDataCenter = "dc1" }), s => s.Contains("." + CassandraSchema.ChangeLogTable + " ", StringComparison.Ordinal));

        Assert.Contains("PRIMARY KEY ((bucket), position, key, version)", log, StringComparison.Ordinal);
        Assert.Contains("CLUSTERING ORDER BY (position ASC, key ASC, version ASC)", log, StringComparison.Ordinal);
        Assert.Contains("'class': 'TimeWindowCompactionStrategy'", log, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1ids")]
    [InlineData("ids; DROP KEYSPACE system_auth")]
    [InlineData("\"Quoted\"")]
    [InlineData("a_name_that_is_much_longer_than_the_forty_eight_allowed")]
    public void A_keyspace_that_is_not_a_plain_name_is_refused(string keyspace) =>
        Assert.Throws<ArgumentException>(() => CassandraSchema.Statements(new CassandraStoreOptions { Keyspace = keyspace, LocalDataCenter = "dc1" }));

    [Fact]
    public void Without_any_data_centre_there_is_no_keyspace_to_create() =>
        Assert.Throws<ArgumentException>(() => CassandraSchema.Statements(new CassandraStoreOptions()));

    /// <summary>Statements of a CQL file: comments dropped, split at ';', spacing normalised.</summary>
    internal static List<string> SplitStatements(string cql)
    {
        var text = Comment().Replace(cql, string.Empty);
        return [.. text.Split(';').Select(s => s.Trim()).Where(s => s.Length > 0).Select(s => Normalise(s + ";"))];
    }

    /// <summary>One space between words, none inside brackets or before separators: layout is not meaning.</summary>
    internal static string Normalise(string statement)
    {
        var single = Whitespace().Replace(statement.Trim(), " ");
        return AroundPunctuation().Replace(single, m => m.Groups["p"].Value);
    }

    [GeneratedRegex(@"--[^\n]*")]
    private static partial Regex Comment();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@" ?(?<p>[(),{}:;]) ?")]
    private static partial Regex AroundPunctuation();

    [GeneratedRegex(@"CREATE TABLE IF NOT EXISTS \w+\.(?<name>\w+) ")]
    private static partial Regex TableName();
}
