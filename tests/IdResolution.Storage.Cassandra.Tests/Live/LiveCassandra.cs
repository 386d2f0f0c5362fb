using IdResolution.Cql.Cluster;
using IdResolution.Cql.Execution;
using IdResolution.Cql.Tests.Server;

namespace IdResolution.Storage.Cassandra.Tests.Live;

/// <summary>
/// The real Cassandra the live tests run against, named by IDRES_TEST_CASSANDRA as
/// <c>host:port,user,password[,datacentre[,replication]]</c> (e.g. <c>127.0.0.1:9042,cassandra,cassandra</c>,
/// or <c>127.0.0.1:9042,cassandra,cassandra,datacenter1,3</c>). The tests' keyspaces are replicated by the
/// given factor, else by the number of live nodes of the data centre (at most 3), so the same suite runs on
/// one node and on three. Every keyspace and table a test creates waits for schema agreement on every live
/// node before it is used. Without the variable the live tests are skipped, and say why.
/// </summary>
internal static class LiveCassandra
{
    public const string Variable = "IDRES_TEST_CASSANDRA";
    public const string SkipReason = Variable + " is not set: the tests against a real Cassandra are skipped (e.g. " + Variable + "=127.0.0.1:9042,cassandra,cassandra)";

    public static (string Host, int Port, string User, string Password, string DataCenter)? Settings
    {
        get
        {
            var value = Environment.GetEnvironmentVariable(Variable);
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            var parts = value.Split(',', StringSplitOptions.TrimEntries);
            var endpoint = parts[0].Split(':');
            return (endpoint[0], endpoint.Length > 1 ? int.Parse(endpoint[1], System.Globalization.CultureInfo.InvariantCulture) : 9042,
                parts.Length > 1 ? parts[1] : string.Empty, parts.Length > 2 ? parts[2] : string.Empty, parts.Length > 3 ? parts[3] : "datacenter1");
        }
    }

    /// <summary>The settings, or the test is skipped.</summary>
    public static (string Host, int Port, string User, string Password, string DataCenter) Require() =>
        Settings ?? throw SkipException();

    public static CqlClusterOptions Cluster(string? keyspace = null)
    {
        var (host, port, user, password, dc) = Require();
        return new CqlClusterOptions { ContactPoints = [host], Port = port, Username = user.Length > 0 ? user : null, Password = password, LocalDataCenter = dc, Keyspace = keyspace };
    }

    /// <summary>How long a test waits for every live node to have a schema change.</summary>
    public static readonly TimeSpan SchemaAgreement = TimeSpan.FromSeconds(60);

    /// <summary>A keyspace of the test's own, dropped afterwards.</summary>
    public static string NewKeyspace() => "idres_t" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Replicas per keyspace: the variable's fifth field, else the live nodes of the data centre, at most 3.</summary>
    public static async Task<int> ReplicationFactorAsync()
    {
        var parts = Environment.GetEnvironmentVariable(Variable)?.Split(',', StringSplitOptions.TrimEntries) ?? [];
        if (parts.Length > 4 && int.TryParse(parts[4], System.Globalization.CultureInfo.InvariantCulture, out var given))
        {
            return given;
        }

        await using var session = await CqlSession.ConnectAsync(Cluster(), CancellationToken.None);
        var dc = Require().DataCenter;
        var live = session.Nodes.Count(node => node.DataCenter == dc && node.IsUp == true);
        return Math.Clamp(live, 1, 3);
    }

    /// <summary>Runs DDL statements one by one, each followed by schema agreement on every live node; a disagreement fails the test.</summary>
    public static async Task ApplySchemaAsync(CqlSession session, params string[] statements)
    {
        foreach (var statement in statements)
        {
            await session.ExecuteAsync(new CqlStatement(statement), CancellationToken.None);
            var agreement = await session.WaitForSchemaAgreementAsync(SchemaAgreement, CancellationToken.None);
            Assert.True(agreement.Agreed, $"No schema agreement after '{statement}': {agreement.Describe()}");
        }
    }

    /// <summary>The change log as the live tests keep it: the shortest settle window the settings allow.</summary>
    public static readonly CassandraChangeLogOptions ChangeLog = new() { SettleMilliseconds = 1000 };

    /// <summary>A store on <paramref name="keyspace"/>, creating it with the replication <see cref="ReplicationFactorAsync"/> chooses.</summary>
    public static async Task<CassandraHandleStore> OpenStoreAsync(string keyspace)
    {
        var (host, port, user, password, dc) = Require();
        var options = new CassandraStoreOptions
        {
            ContactPoints = host,
            Port = port,
            Username = user,
            Password = password,
            LocalDataCenter = dc,
            Keyspace = keyspace,
            CreateSchema = true,
            ReplicationFactor = await ReplicationFactorAsync(),
            ListingBuckets = 8,

            // As long as the tests' own DDL waits: three nodes busy with other schema changes agree slowly.
            SchemaAgreementSeconds = (int)SchemaAgreement.TotalSeconds,
        };
        return await CassandraHandleStore.ConnectAsync(options, ChangeLog, TimeProvider.System, null, null, TestContext.Current.CancellationToken);
    }

    /// <summary>Until readers of the log see the newest row <paramref name="store"/> wrote: its settle window has passed.</summary>
    public static Task SettledAsync(CassandraHandleStore store) =>
        Eventually.UntilAsync(
            async () => await store.LastChangePositionAsync(TestContext.Current.CancellationToken) >= store.LastLoggedPosition,
            "the change log rows of the store have settled");

    public static async Task DropKeyspaceAsync(string keyspace)
    {
        await using var session = await CqlSession.ConnectAsync(Cluster(), CancellationToken.None);
        await ApplySchemaAsync(session, $"DROP KEYSPACE IF EXISTS {keyspace}");
    }

    private static Exception SkipException()
    {
        Assert.Skip(SkipReason);
        return new InvalidOperationException("unreachable");
    }
}
