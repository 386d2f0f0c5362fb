using System.Net;
using System.Net.Sockets;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Node.Tests;

/// <summary>
/// The node with Store:Kind=Cassandra, as a real process, where no Cassandra can run: a node that
/// cannot reach its store of record, or is told nonsense about it, must refuse to start and say why,
/// not start and fail every request.
/// </summary>
public sealed class CassandraStoreSelectionTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task A_cluster_that_does_not_answer_stops_the_start_with_the_contact_points_named()
    {
        var (exitCode, output) = await NodeProcess.RunUntilExitAsync(_data.Path, TimeSpan.FromSeconds(60),
            "--Store:Kind=Cassandra", "--Cassandra:ContactPoints=127.0.0.1", $"--Cassandra:Port={ClosedPort()}",
            "--Cassandra:LocalDataCenter=dc1", "--Cassandra:ConnectTimeoutMilliseconds=1000");

        Assert.Equal(1, exitCode);
        Assert.Contains("The node cannot start:", output, StringComparison.Ordinal);
        Assert.Contains("No contact point answered (127.0.0.1:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_cassandra_settings_stop_the_start_with_every_problem_named()
    {
        var (exitCode, output) = await NodeProcess.RunUntilExitAsync(_data.Path, TimeSpan.FromSeconds(60),
            "--Store:Kind=Cassandra", "--Cassandra:Consistency=ONE", "--Cassandra:ListingBuckets=0");

        Assert.Equal(1, exitCode);
        Assert.Contains("The node cannot start:", output, StringComparison.Ordinal);
        Assert.Contains("Cassandra:LocalDataCenter is ''; allowed: ", output, StringComparison.Ordinal);
        Assert.Contains("Cassandra:Consistency is 'ONE'; allowed: LOCAL_QUORUM, QUORUM, EACH_QUORUM, ALL.", output, StringComparison.Ordinal);
        Assert.Contains("Cassandra:ListingBuckets is 0; allowed: 1 to ", output, StringComparison.Ordinal);
    }
}
