using System.Net;
using IdResolution.Cql.Errors;
using IdResolution.Cql.Execution;
using IdResolution.Cql.Protocol.Requests;
using IdResolution.Cql.Protocol.Responses;
using IdResolution.Cql.Routing;

namespace IdResolution.Cql.Cluster;

/// <summary>The cluster's members and the keyspace's replication, read on the control connection.</summary>
public sealed partial class CqlSession
{
    /// <summary>
    /// The <c>replication</c> map of a keyspace (class and factors, as <c>system_schema.keyspaces</c> holds
    /// it), or null when the keyspace does not exist.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>?> GetKeyspaceReplicationAsync(string keyspace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyspace);
        if (!IsIdentifier(keyspace))
        {
            throw new ArgumentException($"'{keyspace}' is not a keyspace name (letters, digits and underscores).", nameof(keyspace));
        }

        // Keyspace names are identifiers (checked above), so they can be written into the query.
        var rows = await ControlQueryAsync($"SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = '{keyspace.ToLowerInvariant()}'", cancellationToken);
        if (rows.Count == 0)
        {
            return null;
        }

        return rows[0].Get<IReadOnlyDictionary<object, object>>("replication")
            .ToDictionary(pair => (string)pair.Key, pair => (string)pair.Value, StringComparer.Ordinal);
    }

    private async Task<CqlRowSet> ControlQueryAsync(string cql, CancellationToken cancellationToken) =>
        await Volatile.Read(ref _control).SendAsync(new QueryRequest(cql, new CqlQueryParameters(CqlConsistency.One)), _options.Execution.RequestTimeout, cancellationToken) is RowsResult rows
            ? new CqlRowSet(rows)
            : throw new CqlProtocolException($"'{cql}' was not answered with rows.");

    /// <summary>Reads members and replication again and reconciles the pools with them.</summary>
    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            var control = Volatile.Read(ref _control);
            var hosts = new List<CqlHostRecord>();
            if (TopologyReader.FromLocal((await ControlQueryAsync(TopologyReader.LocalQuery, cancellationToken))[0], (IPEndPoint)control.RemoteEndPoint) is { } local)
            {
                hosts.Add(local);
            }

            hosts.AddRange(await PeersAsync(cancellationToken));
            var ring = new TokenRing(hosts.Where(host => host.Tokens.Count > 0).Select(host => (host.Info, (IEnumerable<string>)host.Tokens)));
            var strategy = _options.Keyspace is { } keyspace && await GetKeyspaceReplicationAsync(keyspace, cancellationToken) is { } replication
                ? ReplicationStrategy.FromSchema(replication)
                : null;
            List<HostPool> removed;
            List<string> joined = [];
            List<string> left = [];
            int count;
            lock (_pools)
            {
                var current = hosts.Where(host => string.Equals(host.Info.DataCenter, _options.LocalDataCenter, StringComparison.Ordinal)).ToDictionary(host => host.Info.HostId);
                removed = [];
                foreach (var gone in _pools.Keys.Where(id => !current.ContainsKey(id)).ToList())
                {
                    removed.Add(_pools[gone].Pool);
                    left.Add(_pools[gone].Host.Info.Address.ToString());
                    _pools.Remove(gone);
                }

                foreach (var (id, host) in current)
                {
                    if (!_pools.ContainsKey(id) && !_disposed.IsCancellationRequested)
                    {
                        var pool = new HostPool(host.Info.Address, _connectionOptions with { Keyspace = _options.Keyspace?.ToLowerInvariant() }, _poolSettings, up => OnUpChanged(id, up));
                        _pools[id] = (host, pool);
                        joined.Add(host.Info.Address.ToString());
                        var opening = pool.WarmUpAsync(_disposed.Token);
                        _firstOpenings?.Add(opening);
                    }
                    else if (_pools.TryGetValue(id, out var known))
                    {
                        // Tokens and rack may have moved; the pool and its connections stay.
                        _pools[id] = (host, known.Pool);
                    }
                }

                _hosts = hosts;
                _ring = ring;
                _strategy = strategy;
                count = _pools.Count;
                _planner.Update(ring, strategy, _pools.Values.Select(entry => (entry.Host.Info, (ICqlRequestChannel)entry.Pool)));
            }

            if (joined.Count > 0 || left.Count > 0)
            {
                CqlLog.TopologyChanged(_logger, _options.LocalDataCenter, string.Join(", ", joined), string.Join(", ", left), count);
            }

            foreach (var pool in removed)
            {
                await pool.DisposeAsync();
            }

            if (hosts.All(host => !string.Equals(host.Info.DataCenter, _options.LocalDataCenter, StringComparison.Ordinal)))
            {
                throw new CqlNoHostAvailableException(
                    $"No node is in data centre '{_options.LocalDataCenter}'; the cluster has {string.Join(", ", hosts.Select(host => host.Info.DataCenter).Distinct())}.");
            }
        }
        finally
        {
            _refreshing.Release();
        }
    }

    /// <summary>A refresh that fails is logged and tried again by the next event or reconciliation sweep.</summary>
    private async Task<bool> RefreshQuietlyAsync()
    {
        try
        {
            await RefreshAsync(_disposed.Token);
            _topologyStale = false;
            return true;
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception failure)
        {
            _topologyStale = true;
            CqlLog.TopologyReadFailed(_logger, failure.Message);
            return false;
        }
    }

    private async Task<IReadOnlyList<CqlHostRecord>> PeersAsync(CancellationToken cancellationToken)
    {
        try
        {
            return [.. (await ControlQueryAsync(TopologyReader.PeersV2Query, cancellationToken)).Select(TopologyReader.FromPeerV2).OfType<CqlHostRecord>()];
        }
        catch (CqlInvalidQueryException)
        {
            // Cassandra before 4.0 has no peers_v2.
            return [.. (await ControlQueryAsync(TopologyReader.PeersQuery, cancellationToken)).Select(row => TopologyReader.FromPeer(row, _options.Port)).OfType<CqlHostRecord>()];
        }
    }

    private void OnUpChanged(Guid host, bool up)
    {
        if (up)
        {
            _planner.MarkUp(host);
        }
        else
        {
            _planner.MarkDown(host);
        }
    }
}
