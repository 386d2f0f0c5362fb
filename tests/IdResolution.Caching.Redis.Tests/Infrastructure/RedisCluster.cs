using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace IdResolution.Caching.Redis.Tests.Infrastructure;

/// <summary>
/// A real three-master redis cluster (no replicas) on spare loopback ports, made by
/// <c>redis-cli --cluster create</c>. Killing a node leaves its slots uncovered until it is
/// restarted (<see cref="RedisServer.RestartAsync"/>) and rejoins from its nodes.conf.
/// </summary>
public sealed class RedisCluster : IAsyncDisposable
{
    public const int SlotCount = 16384;
    private const int NodeCount = 3;
    private static readonly TimeSpan CreateWithin = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan HealthyWithin = TimeSpan.FromSeconds(20);

    private RedisCluster(IReadOnlyList<RedisServer> nodes) => Nodes = nodes;

    public IReadOnlyList<RedisServer> Nodes { get; }

    /// <summary>"127.0.0.1:A,127.0.0.1:B,127.0.0.1:C", as client configuration strings take it.</summary>
    public string ConfigurationString => string.Join(',', Nodes.Select(node => node.EndPoint));

    public static async Task<RedisCluster> StartAsync()
    {
        var starting = Enumerable.Range(0, NodeCount).Select(_ => RedisServer.StartClusterNodeAsync()).ToList();
        try
        {
            await Task.WhenAll(starting);
        }
        catch
        {
            // The nodes that did start would otherwise outlive the failure.
            foreach (var node in starting.Where(task => task.IsCompletedSuccessfully))
            {
                await node.Result.DisposeAsync();
            }

            throw;
        }

        var cluster = new RedisCluster(starting.Select(task => task.Result).ToList());
        try
        {
            await RedisCli.RunAsync(
                CreateWithin,
                ["--cluster", "create", .. cluster.Nodes.Select(node => node.EndPoint), "--cluster-replicas", "0", "--cluster-yes"]);
            await cluster.WaitUntilHealthyAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Polls until every node reports cluster_state:ok, all slots assigned and all nodes known
    /// (e.g. after a node was restarted); throws with each node's CLUSTER INFO if that takes too long.
    /// </summary>
    public async Task WaitUntilHealthyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var reports = await Task.WhenAll(Nodes.Select(ClusterInfoAsync));
            if (reports.All(IsHealthy))
            {
                return;
            }

            if (deadline.Elapsed > HealthyWithin)
            {
                var details = Nodes.Zip(reports, (node, report) => $"{node.EndPoint}: {string.Join(", ", report.Select(field => $"{field.Key}={field.Value}"))}");
                throw new TimeoutException($"the cluster was not healthy within {HealthyWithin}:{Environment.NewLine}{string.Join(Environment.NewLine, details)}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The master that currently serves <paramref name="key"/>'s hash slot, per CLUSTER SLOTS.</summary>
    public async Task<RedisServer> NodeForKeyAsync(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var asked = Nodes.First(node => node.IsRunning);
        var slot = await asked.IntegerAsync("CLUSTER", "KEYSLOT", key);
        var ranges = (object?[])(await asked.ExecuteAsync("CLUSTER", "SLOTS"))!;
        foreach (var range in ranges.Cast<object?[]>())
        {
            if ((long)range[0]! <= slot && slot <= (long)range[1]!)
            {
                var master = (object?[])range[2]!;
                var port = (long)master[1]!;
                return Nodes.Single(node => node.Port == port);
            }
        }

        throw new InvalidOperationException($"no node serves slot {slot} of key {key}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }
    }

    private static bool IsHealthy(IReadOnlyDictionary<string, string> info) =>
        info.GetValueOrDefault("cluster_state") == "ok"
        && info.GetValueOrDefault("cluster_slots_assigned") == SlotCount.ToString(CultureInfo.InvariantCulture)
        && info.GetValueOrDefault("cluster_known_nodes") == NodeCount.ToString(CultureInfo.InvariantCulture);

    private static async Task<IReadOnlyDictionary<string, string>> ClusterInfoAsync(RedisServer node)
    {
        try
        {
            return RespReply.ToFields(await node.CommandAsync("CLUSTER", "INFO"));
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or RedisErrorReplyException)
        {
            return new Dictionary<string, string> { ["unreachable"] = e.Message };
        }
    }
}
