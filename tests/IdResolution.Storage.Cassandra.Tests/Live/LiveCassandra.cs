using IdResolution.Cql;

namespace IdResolution.Storage.Cassandra.Tests.Live;

/// <summary>
/// The real Cassandra the live tests run against, named by IDRES_TEST_CASSANDRA as
/// <c>host:port,user,password[,datacentre]</c> (e.g. <c>127.0.0.1:9042,cassandra,cassandra</c>).
/// Without it the live tests are skipped, and say why.
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

    /// <summary>A keyspace of the test's own, dropped afterwards.</summary>
    public static string NewKeyspace() => "idres_t" + Guid.NewGuid().ToString("N")[..12];

    public static async Task DropKeyspaceAsync(string keyspace)
    {
        await using var session = await CqlSession.ConnectAsync(Cluster(), CancellationToken.None);
        await session.ExecuteAsync(new CqlStatement($"DROP KEYSPACE IF EXISTS {keyspace}"), CancellationToken.None);
    }

    private static Exception SkipException()
    {
        Assert.Skip(SkipReason);
        return new InvalidOperationException("unreachable");
    }
}
