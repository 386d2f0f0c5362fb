using IdResolution.Cql.Cluster;
using IdResolution.Cql.Tests.Server;
using Microsoft.Extensions.Time.Testing;

namespace IdResolution.Cql.Tests.Cluster;

/// <summary>A session on a fake cluster, with its logs, metrics and clock at hand.</summary>
internal sealed class FakeClusterKit : IAsyncDisposable
{
    private FakeClusterKit(FakeCluster cluster, CqlSession session, RecordingLoggerFactory logs, FakeTimeProvider time)
    {
        Cluster = cluster;
        Session = session;
        Logs = logs;
        Time = time;
        Metrics = new MetricsRecorder(session.Meter);
    }

    public FakeCluster Cluster { get; }

    public CqlSession Session { get; }

    public RecordingLoggerFactory Logs { get; }

    public FakeTimeProvider Time { get; }

    public MetricsRecorder Metrics { get; }

    public static async Task<FakeClusterKit> StartAsync(FakeCluster cluster, Func<CqlClusterOptions, CqlClusterOptions>? configure = null)
    {
        var logs = new RecordingLoggerFactory();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = cluster.ClientOptions() with { LoggerFactory = logs, TimeProvider = time, ConnectionsPerHost = 2 };
        var session = await CqlSession.ConnectAsync(configure?.Invoke(options) ?? options, TestContext.Current.CancellationToken);
        var kit = new FakeClusterKit(cluster, session, logs, time);
        await kit.FullAsync();
        return kit;
    }

    /// <summary>Every member's pool is full and nothing is opening: the counts on the fake are final.</summary>
    public async Task FullAsync()
    {
        var size = 2;
        await Eventually.UntilAsync(
            () => Session.Nodes.Where(node => node.IsUp is not null).All(node => node.OpenConnections == size),
            "every pool holds its connections",
            () => Time.Advance(TimeSpan.FromSeconds(1)));
        await Session.SettledAsync();
    }

    public bool IsUp(FakeNode node) => Session.Nodes.Single(n => n.Address.Equals(node.EndPoint)).IsUp == true;

    public int ClientConnections(FakeNode node) => Session.Nodes.Single(n => n.Address.Equals(node.EndPoint)).OpenConnections;

    public async ValueTask DisposeAsync()
    {
        Metrics.Dispose();
        await Session.DisposeAsync();
        await Cluster.DisposeAsync();
    }
}
