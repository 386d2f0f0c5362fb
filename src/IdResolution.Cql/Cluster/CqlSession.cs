using System.Net;
using System.Runtime.CompilerServices;
using IdResolution.Cql.Connections;
using IdResolution.Cql.Protocol;
using IdResolution.Cql.Routing;

namespace IdResolution.Cql;

/// <summary>
/// A client of one Cassandra cluster. One control connection reads the cluster's members and the
/// keyspace's replication, and listens for topology and status events; each node of the local data
/// centre gets a pool of connections; statements go to their partition's replicas.
/// </summary>
public sealed class CqlSession : IAsyncDisposable
{
    private static readonly string[] Events = ["TOPOLOGY_CHANGE", "STATUS_CHANGE", "SCHEMA_CHANGE"];
    private readonly CqlClusterOptions _options;
    private readonly CqlConnectionOptions _connectionOptions;
    private readonly TokenAwarePlanner _planner;
    private readonly CqlExecutor _executor;
    private readonly Dictionary<Guid, (CqlHostRecord Host, HostPool Pool)> _pools = [];
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private readonly CancellationTokenSource _disposed = new();
    private CqlConnection _control;

    private CqlSession(CqlClusterOptions options, CqlConnectionOptions connectionOptions, CqlConnection control)
    {
        _options = options;
        _connectionOptions = connectionOptions;
        _control = control;
        _planner = new TokenAwarePlanner(options.LocalDataCenter);
        _executor = new CqlExecutor(_planner, options.Execution);
    }

    /// <summary>The nodes of the local data centre this session sends statements to.</summary>
    public IReadOnlyList<IPEndPoint> LocalNodes
    {
        get
        {
            lock (_pools)
            {
                return [.. _pools.Values.Select(entry => entry.Host.Info.Address)];
            }
        }
    }

    public static async Task<CqlSession> ConnectAsync(CqlClusterOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Keyspace is { } keyspace && !IsIdentifier(keyspace))
        {
            throw new ArgumentException($"'{keyspace}' is not a keyspace name (letters, digits and underscores).", nameof(options));
        }

        var connectionOptions = new CqlConnectionOptions
        {
            ConnectTimeout = options.ConnectTimeout,
            Tls = options.Tls,
            Authenticator = options.Username is { Length: > 0 } user ? () => new PlainTextAuthenticator(user, options.Password ?? string.Empty) : null,
        };
        var control = await OpenControlAsync(options, connectionOptions, null, cancellationToken);
        var session = new CqlSession(options, connectionOptions, control);
        try
        {
            await session.RefreshAsync(cancellationToken);
            await session.ListenAsync(control, cancellationToken);
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    public Task<CqlRowSet> ExecuteAsync(CqlStatement statement, CancellationToken cancellationToken) =>
        _executor.ExecuteAsync(statement, cancellationToken);

    /// <summary>Prepares a statement ahead of its first use, so that a mistake in it fails now.</summary>
    public Task PrepareAsync(string cql, CancellationToken cancellationToken) => _executor.PrepareAsync(cql, cancellationToken);

    public Task<CqlRowSet> ExecuteBatchAsync(CqlBatch batch, CancellationToken cancellationToken) =>
        _executor.ExecuteBatchAsync(batch, cancellationToken);

    /// <summary>Every row of every page; the next page is asked for when the current one is used up.</summary>
    public IAsyncEnumerable<CqlRow> ExecuteAllPagesAsync(CqlStatement statement, CancellationToken cancellationToken) =>
        _executor.ExecuteAllPagesAsync(statement, cancellationToken);

    /// <summary>
    /// Waits until every node reports the same schema version (after DDL, before statements that need
    /// it run on other nodes). False when they still differ after <paramref name="within"/>, e.g. a node down.
    /// </summary>
    public async Task<bool> WaitForSchemaAgreementAsync(TimeSpan within, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + within;
        while (true)
        {
            var versions = new HashSet<Guid>();
            foreach (var row in await ControlQueryAsync("SELECT schema_version FROM system.local WHERE key = 'local'", cancellationToken))
            {
                versions.Add(row.Get<Guid>("schema_version"));
            }

            foreach (var row in await PeerSchemaVersionsAsync(cancellationToken))
            {
                if (!row.IsNull("schema_version"))
                {
                    versions.Add(row.Get<Guid>("schema_version"));
                }
            }

            if (versions.Count <= 1)
            {
                return true;
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();

        // No refresh runs past this point, so none can add a pool after the pools are closed. The
        // semaphore and token source stay undisposed: a late event handler may still look at them.
        await _refreshing.WaitAsync(CancellationToken.None);
        await _control.DisposeAsync();
        List<HostPool> pools;
        lock (_pools)
        {
            pools = [.. _pools.Values.Select(entry => entry.Pool)];
            _pools.Clear();
        }

        foreach (var pool in pools)
        {
            await pool.DisposeAsync();
        }
    }

    private static async Task<CqlConnection> OpenControlAsync(CqlClusterOptions options, CqlConnectionOptions connectionOptions, IEnumerable<IPEndPoint>? known, CancellationToken cancellationToken)
    {
        var failures = new List<Exception>();
        await foreach (var address in Candidates(options, known, cancellationToken))
        {
            try
            {
                return await CqlConnection.OpenAsync(address, connectionOptions, cancellationToken);
            }
            catch (Exception failure) when (failure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failures.Add(failure);
            }
        }

        throw new CqlNoHostAvailableException(
            $"No contact point answered ({string.Join(", ", options.ContactPoints)}:{options.Port}).",
            failures.Count == 1 ? failures[0] : new AggregateException(failures));
    }

    private static async IAsyncEnumerable<IPEndPoint> Candidates(CqlClusterOptions options, IEnumerable<IPEndPoint>? known, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var address in known ?? [])
        {
            yield return address;
        }

        foreach (var contact in options.ContactPoints)
        {
            // "10.0.0.5", "10.0.0.5:9043", "[::1]:9043", "cassandra-0.cassandra", "cassandra-0:9043".
            if (IPEndPoint.TryParse(contact, out var literal))
            {
                yield return literal.Port == 0 ? new IPEndPoint(literal.Address, options.Port) : literal;
                continue;
            }

            var colon = contact.LastIndexOf(':');
            var (host, port) = colon > 0 && int.TryParse(contact.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture, out var given)
                ? (contact[..colon], given)
                : (contact, options.Port);
            IPAddress[] addresses;
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
            }
            catch (System.Net.Sockets.SocketException)
            {
                // A name that does not resolve (yet: pods come and go) is one contact point fewer.
                continue;
            }

            foreach (var address in addresses)
            {
                yield return new IPEndPoint(address, port);
            }
        }
    }

    private async Task<CqlRowSet> ControlQueryAsync(string cql, CancellationToken cancellationToken) =>
        await _control.SendAsync(new QueryRequest(cql, new CqlQueryParameters(CqlConsistency.One)), _options.Execution.RequestTimeout, cancellationToken) is RowsResult rows
            ? new CqlRowSet(rows)
            : throw new CqlProtocolException($"'{cql}' was not answered with rows.");

    /// <summary>Reads members and replication again and reconciles the pools with them.</summary>
    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            var hosts = new List<CqlHostRecord>();
            if (TopologyReader.FromLocal((await ControlQueryAsync(TopologyReader.LocalQuery, cancellationToken))[0], (IPEndPoint)_control.RemoteEndPoint) is { } local)
            {
                hosts.Add(local);
            }

            hosts.AddRange(await PeersAsync(cancellationToken));
            var ring = new TokenRing(hosts.Where(host => host.Tokens.Count > 0).Select(host => (host.Info, (IEnumerable<string>)host.Tokens)));
            var strategy = _options.Keyspace is { } keyspace ? await ReplicationAsync(keyspace, cancellationToken) : null;
            List<HostPool> removed;
            lock (_pools)
            {
                var current = hosts.Where(host => string.Equals(host.Info.DataCenter, _options.LocalDataCenter, StringComparison.Ordinal)).ToDictionary(host => host.Info.HostId);
                removed = [.. _pools.Where(entry => !current.ContainsKey(entry.Key)).Select(entry => entry.Value.Pool)];
                foreach (var gone in _pools.Keys.Where(id => !current.ContainsKey(id)).ToList())
                {
                    _pools.Remove(gone);
                }

                foreach (var (id, host) in current)
                {
                    if (!_pools.ContainsKey(id) && !_disposed.IsCancellationRequested)
                    {
                        var pool = new HostPool(host.Info.Address, _connectionOptions with { Keyspace = _options.Keyspace?.ToLowerInvariant() }, _options.ConnectionsPerHost, _options.MaxReconnectDelay, up => OnUpChanged(id, up));
                        _pools[id] = (host, pool);
                        _ = pool.WarmUpAsync(_disposed.Token);
                    }
                }

                _planner.Update(ring, strategy, _pools.Values.Select(entry => (entry.Host.Info, (ICqlRequestChannel)entry.Pool)));
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

    private async Task<CqlRowSet> PeerSchemaVersionsAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await ControlQueryAsync("SELECT schema_version FROM system.peers_v2", cancellationToken);
        }
        catch (CqlInvalidQueryException)
        {
            return await ControlQueryAsync("SELECT schema_version FROM system.peers", cancellationToken);
        }
    }

    private async Task<ReplicationStrategy?> ReplicationAsync(string keyspace, CancellationToken cancellationToken)
    {
        // Keyspace names are identifiers (checked at connect), so they can be written into the query.
        var rows = await ControlQueryAsync($"SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = '{keyspace.ToLowerInvariant()}'", cancellationToken);
        if (rows.Count == 0)
        {
            return null;
        }

        var replication = rows[0].Get<IReadOnlyDictionary<object, object>>("replication");
        return ReplicationStrategy.FromSchema(replication.ToDictionary(pair => (string)pair.Key, pair => (string)pair.Value, StringComparer.Ordinal));
    }

    private static bool IsIdentifier(string name) => name.Length is > 0 and <= 48 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private async Task ListenAsync(CqlConnection control, CancellationToken cancellationToken)
    {
        control.EventReceived += OnEvent;
        _ = control.Closed.ContinueWith(_ => ReplaceControlAsync(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        await control.SendAsync(new RegisterRequest(Events), _options.Execution.RequestTimeout, cancellationToken);
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

    /// <summary>
    /// Topology and schema events make the session read the system tables again. A node reported UP
    /// is connected to at once; DOWN events are not trusted (a node can be down for the cluster and
    /// reachable for us, or the reverse): failed connections decide.
    /// </summary>
    private void OnEvent(CqlEvent cqlEvent)
    {
        switch (cqlEvent)
        {
            case StatusChangeEvent { Change: "UP" } status:
                HostPool? pool;
                lock (_pools)
                {
                    pool = _pools.Values.FirstOrDefault(entry => entry.Host.Info.Address.Address.Equals(status.Address.Address)).Pool;
                }

                _ = pool?.WarmUpAsync(_disposed.Token);
                break;
            case TopologyChangeEvent or SchemaChangeEvent:
                _ = RefreshQuietlyAsync();
                break;
        }
    }

    private async Task RefreshQuietlyAsync()
    {
        try
        {
            await RefreshAsync(_disposed.Token);
        }
        catch (Exception failure) when (failure is CqlServerException or CqlConnectionException or CqlNoHostAvailableException or TimeoutException or OperationCanceledException)
        {
            // The next event, or the next control connection, refreshes again.
        }
    }

    /// <summary>The control connection is lost: open one to any known node, backing off until one answers.</summary>
    private async Task ReplaceControlAsync()
    {
        var delay = TimeSpan.FromMilliseconds(500);
        while (!_disposed.IsCancellationRequested)
        {
            try
            {
                var known = LocalNodes;
                var control = await OpenControlAsync(_options, _connectionOptions, known, _disposed.Token);
                _control = control;
                await ListenAsync(control, _disposed.Token);
                await RefreshAsync(_disposed.Token);
                return;
            }
            catch (Exception failure) when (failure is CqlServerException or CqlConnectionException or CqlNoHostAvailableException or TimeoutException or IOException)
            {
                await Task.Delay(delay, _disposed.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                delay = delay * 2 < _options.MaxReconnectDelay ? delay * 2 : _options.MaxReconnectDelay;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
