using System.Net;
using IdResolution.Cql.Connections;
using IdResolution.Cql.Errors;
using IdResolution.Cql.Execution;
using IdResolution.Cql.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdResolution.Cql.Cluster;

/// <summary>
/// A client of one Cassandra cluster. One control connection reads the cluster's members and the
/// keyspace's replication, and listens for topology and status events; each node of the local data
/// centre gets a pool of connections; statements go to their partition's replicas. Nodes that go down
/// are reconnected to with back-off for as long as they stay in the topology, and a periodic sweep
/// gives every node that is not up another attempt.
/// </summary>
public sealed partial class CqlSession : IAsyncDisposable
{
    /// <summary>The meter of the client's instruments (connections, node state, reconnect attempts).</summary>
    public const string MeterName = "IdResolution.Cql";

    private readonly CqlClusterOptions _options;
    private readonly CqlConnectionOptions _connectionOptions;
    private readonly HostPoolSettings _poolSettings;
    private readonly TokenAwarePlanner _planner;
    private readonly CqlExecutor _executor;
    private readonly Dictionary<Guid, (CqlHostRecord Host, HostPool Pool)> _pools = [];
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private readonly CancellationTokenSource _disposed = new();
    private readonly ILogger _logger;
    private readonly CqlMetrics _metrics;
    private IReadOnlyList<CqlHostRecord> _hosts = [];
    private TokenRing? _ring;
    private ReplicationStrategy? _strategy;
    private CqlConnection _control;
    private Task _reconciliation = Task.CompletedTask;

    // The first opening of each pool the first topology read made; null once ConnectAsync has waited for them.
    private List<Task>? _firstOpenings = [];
    private int _eventsHandled;

    private CqlSession(CqlClusterOptions options, CqlConnectionOptions connectionOptions, CqlConnection control, ILogger logger)
    {
        _options = options;
        _connectionOptions = connectionOptions;
        _control = control;
        _logger = logger;
        _planner = new TokenAwarePlanner(options.LocalDataCenter);
        _executor = new CqlExecutor(_planner, options.Execution);
        _metrics = new CqlMetrics(options.MeterFactory, Pools);
        _poolSettings = new HostPoolSettings(
            options.ConnectionsPerHost,
            new ReconnectBackoff(options.ReconnectBaseDelay < options.MaxReconnectDelay ? options.ReconnectBaseDelay : options.MaxReconnectDelay, options.MaxReconnectDelay),
            options.StillDownWarningInterval,
            options.TimeProvider,
            logger,
            _metrics);
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

    /// <summary>Every node of the cluster as last read from the system tables, with the client's view of the local ones.</summary>
    public IReadOnlyList<CqlNodeState> Nodes
    {
        get
        {
            lock (_pools)
            {
                return [.. _hosts.Select(host => _pools.TryGetValue(host.Info.HostId, out var entry)
                    ? new CqlNodeState(host.Info.Address, host.Info.HostId, host.Info.DataCenter, host.Info.Rack, entry.Pool.IsUp, entry.Pool.OpenConnections)
                    : new CqlNodeState(host.Info.Address, host.Info.HostId, host.Info.DataCenter, host.Info.Rack, null, 0))];
            }
        }
    }

    /// <summary>Events from the control connection handled so far (tests wait on it).</summary>
    internal int EventsHandled => Volatile.Read(ref _eventsHandled);

    /// <summary>The session's meter, for tests that read its instruments.</summary>
    internal System.Diagnostics.Metrics.Meter Meter => _metrics.Meter;

    public static async Task<CqlSession> ConnectAsync(CqlClusterOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Keyspace is { } keyspace && !IsIdentifier(keyspace))
        {
            throw new ArgumentException($"'{keyspace}' is not a keyspace name (letters, digits and underscores).", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.ReconnectBaseDelay, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.MaxReconnectDelay, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.ReconciliationInterval, TimeSpan.Zero, nameof(options));
        var connectionOptions = new CqlConnectionOptions
        {
            ConnectTimeout = options.ConnectTimeout,
            Tls = options.Tls,
            Authenticator = options.Username is { Length: > 0 } user ? () => new PlainTextAuthenticator(user, options.Password ?? string.Empty) : null,
        };
        var logger = options.LoggerFactory?.CreateLogger(CqlLog.Category) ?? NullLogger.Instance;
        var control = await OpenControlAsync(options, connectionOptions, null, cancellationToken);
        var session = new CqlSession(options, connectionOptions, control, logger);
        try
        {
            await session.RefreshAsync(cancellationToken);
            await session.FirstOpeningsAsync(cancellationToken);
            await session.ListenAsync(control, cancellationToken);
            session._reconciliation = session.ReconcileAsync();
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Waits until every pool's first opening ended, connected or refused (each attempt is bounded by the connect
    /// timeout), so the session is handed out knowing which nodes are up: a start with too few live nodes is told
    /// so (the store's replication check reads <see cref="Nodes"/>), rather than taking unknown nodes for up.
    /// </summary>
    private async Task FirstOpeningsAsync(CancellationToken cancellationToken)
    {
        List<Task> openings;
        lock (_pools)
        {
            openings = _firstOpenings ?? [];
            _firstOpenings = null;
        }

        try
        {
            await Task.WhenAll(openings).WaitAsync(_connectionOptions.ConnectTimeout + TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A node slower than its own timeout: its state is known once its attempt ends; nothing is wrong with the session.
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
    /// Whether enough replicas of the session's keyspace are up, as far as the client can tell from its
    /// own connections, for statements at <paramref name="consistency"/> on every token range.
    /// </summary>
    public CqlReplicaAvailability CheckReplicas(CqlConsistency consistency)
    {
        TokenRing? ring;
        ReplicationStrategy? strategy;
        lock (_pools)
        {
            (ring, strategy) = (_ring, _strategy);
        }

        return ReplicaCounter.Count(ring, strategy, _options.LocalDataCenter, consistency, Nodes);
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        await _reconciliation.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        // No refresh runs past this point, so none can add a pool after the pools are closed. The
        // semaphore and token source stay undisposed: a late event handler may still look at them.
        await _refreshing.WaitAsync(CancellationToken.None);
        await Volatile.Read(ref _control).DisposeAsync();
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

        _metrics.Dispose();
    }

    /// <summary>Waits until no pool is opening a connection, for tests that count connections.</summary>
    internal async Task SettledAsync()
    {
        foreach (var pool in Pools())
        {
            await pool.Opening.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private static bool IsIdentifier(string name) => name.Length is > 0 and <= 48 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private IReadOnlyCollection<HostPool> Pools()
    {
        lock (_pools)
        {
            return [.. _pools.Values.Select(entry => entry.Pool)];
        }
    }
}
