using System.Net;
using IdResolution.Cql.Cluster;

namespace IdResolution.Cql.Tests.Server;

/// <summary>
/// TEST FIXTURE ONLY: a multi-node stand-in for a Cassandra cluster, one <see cref="FakeNode"/> per
/// loopback address (127.0.0.1, 127.0.0.2, …; all of 127/8 is loopback on Linux), each on a spare port.
/// Each node answers its own <c>system.local</c> and <c>system.peers_v2</c>, keeps its own schema version
/// (DDL reaches the other nodes after their schema lag), checks consistency against the live nodes
/// (Unavailable), and can be killed (connections reset, new ones refused), restarted, made to fail
/// handshakes, removed from the topology, or told to answer a request its own way. Status and topology
/// events go to the connections that registered for them. Counters per node tell the tests how many
/// connections and requests each node saw.
/// </summary>
internal sealed class FakeCluster : IAsyncDisposable
{
    private readonly List<FakeNode> _nodes = [];
    private readonly List<FakeSchemaChange> _changes = [];
    private readonly Lock _schemaLock = new();

    public FakeCluster(int nodes = 3, string dataCenter = "dc1", TimeProvider? time = null, (string User, string Password)? credentials = null)
    {
        DataCenter = dataCenter;
        Time = time ?? TimeProvider.System;
        for (var i = 0; i < nodes; i++)
        {
            _nodes.Add(new FakeNode(this, i, nodes, IPAddress.Parse($"127.0.0.{i + 1}"), credentials));
        }
    }

    public string DataCenter { get; }

    public TimeProvider Time { get; }

    /// <summary>How long a node that did not run a DDL statement takes to apply it, unless the node says otherwise.</summary>
    public TimeSpan SchemaDelay { get; set; }

    /// <summary>
    /// Peers tables report the answering node's own schema version for every peer, as was seen on a
    /// 4.0 cluster: a client that trusts them sees agreement before the peers have the change.
    /// </summary>
    public bool PeersReportOwnSchemaVersion { get; set; } = true;

    public IReadOnlyList<FakeNode> Nodes => _nodes;

    /// <summary>Nodes still in the topology (not removed).</summary>
    public IEnumerable<FakeNode> Members => _nodes.Where(node => !node.IsRemoved);

    public FakeNode this[int index] => _nodes[index];

    /// <summary>Client settings that reach the cluster through its first node.</summary>
    public CqlClusterOptions ClientOptions(int contactNode = 0) => new()
    {
        ContactPoints = [_nodes[contactNode].EndPoint.ToString()],
        Port = _nodes[contactNode].EndPoint.Port,
        LocalDataCenter = DataCenter,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        ReconnectBaseDelay = TimeSpan.FromMilliseconds(50),
        MaxReconnectDelay = TimeSpan.FromMilliseconds(500),
    };

    /// <summary>Kills a node: its connections reset, its port refuses, and (when announced) the live nodes report it DOWN.</summary>
    public async Task KillAsync(FakeNode node, bool announce = true)
    {
        node.Kill();
        if (announce)
        {
            await PushStatusAsync("DOWN", node);
        }
    }

    /// <summary>Starts a killed node again on the same address and port; it has forgotten its prepared statements.</summary>
    public async Task RestartAsync(FakeNode node, bool announce = true)
    {
        node.Restart();
        if (announce)
        {
            await PushStatusAsync("UP", node);
        }
    }

    /// <summary>Takes a node out of the topology (decommission): gone from every peers table, killed, announced as REMOVED_NODE.</summary>
    public async Task RemoveAsync(FakeNode node)
    {
        node.IsRemoved = true;
        node.Kill();
        await PushTopologyAsync("REMOVED_NODE", node);
    }

    /// <summary>STATUS_CHANGE about <paramref name="about"/>, sent by every live node to its registered connections.</summary>
    public async Task<int> PushStatusAsync(string change, FakeNode about)
    {
        var pushed = 0;
        foreach (var node in Members.Where(node => node.IsUp && node != about))
        {
            pushed += await node.Server.PushStatusChangeAsync(change, about.EndPoint);
        }

        return pushed;
    }

    public async Task<int> PushTopologyAsync(string change, FakeNode about)
    {
        var pushed = 0;
        foreach (var node in Members.Where(node => node.IsUp && node != about))
        {
            pushed += await node.Server.PushTopologyChangeAsync(change, about.EndPoint);
        }

        return pushed;
    }

    /// <summary>Live nodes of the data centre, as gossip sees them.</summary>
    public int LiveNodes => Members.Count(node => node.IsUp);

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.Server.DisposeAsync();
        }
    }

    /// <summary>Applies a DDL statement run on <paramref name="coordinator"/>: there now, on each other node after its lag.</summary>
    internal void ApplySchemaChange(FakeNode coordinator, FakeKeyspace? keyspace, FakeTable? table, string? dropped)
    {
        var now = Time.GetUtcNow();
        lock (_schemaLock)
        {
            var appliedAt = _nodes.ToDictionary(node => node.Index, node => node == coordinator ? now : now + (node.SchemaLag ?? SchemaDelay));
            _changes.Add(new FakeSchemaChange(_changes.Count + 1, keyspace, table, dropped, appliedAt));
        }
    }

    /// <summary>The schema changes <paramref name="node"/> has applied by now, in order.</summary>
    internal IReadOnlyList<FakeSchemaChange> AppliedOn(FakeNode node)
    {
        var now = Time.GetUtcNow();
        lock (_schemaLock)
        {
            return [.. _changes.Where(change => change.AppliedAt[node.Index] <= now)];
        }
    }
}
