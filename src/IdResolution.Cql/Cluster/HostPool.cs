using System.Net;
using IdResolution.Cql.Connections;
using IdResolution.Cql.Errors;
using IdResolution.Cql.Execution;
using IdResolution.Cql.Protocol.Requests;
using IdResolution.Cql.Protocol.Responses;
using Microsoft.Extensions.Logging;

namespace IdResolution.Cql.Cluster;

/// <summary>
/// The connections to one node, never more than the configured size. A request goes on the open
/// connection with the most free stream ids. Lost connections are replaced; when none is left the node
/// is down, and reconnection backs off (jittered, doubling up to a cap) and never stops, whatever a
/// failed attempt threw, until the pool is disposed (the node left the topology, or the session closed).
/// </summary>
internal sealed class HostPool : ICqlRequestChannel, IAsyncDisposable
{
    private readonly EndPoint _address;
    private readonly CqlConnectionOptions _options;
    private readonly HostPoolSettings _settings;
    private readonly Action<bool> _onUpChanged;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _disposed = new();
    private CqlConnection[] _connections = [];
    private Task? _opening;
    private bool _retrying;
    private bool _everConnected;
    private DateTimeOffset _nextAttempt = DateTimeOffset.MinValue;
    private int _failedAttempts;
    private bool _up = true;
    private DateTimeOffset _downSince;
    private DateTimeOffset _lastWarning;
    private int _outageAttempts;
    private bool _loudFailureLogged;
    private Exception? _lastFailure;

    public HostPool(EndPoint address, CqlConnectionOptions options, HostPoolSettings settings, Action<bool> onUpChanged)
    {
        _address = address;
        _options = options;
        _settings = settings;
        _onUpChanged = onUpChanged;
    }

    public string Name => _address.ToString() ?? "node";

    public EndPoint Address => _address;

    public int Size => Math.Max(1, _settings.Size);

    public int OpenConnections => Volatile.Read(ref _connections).Count(connection => !connection.IsClosed);

    /// <summary>Up while at least one connection is open (or none was tried yet); down from the loss of the last until one opens again.</summary>
    public bool IsUp
    {
        get
        {
            lock (_gate)
            {
                return _up;
            }
        }
    }

    /// <summary>Why the last attempt to open a connection failed, for messages; null when none failed.</summary>
    public Exception? LastFailure => Volatile.Read(ref _lastFailure);

    /// <summary>The opening under way, if any (tests wait for it before counting connections).</summary>
    internal Task Opening
    {
        get
        {
            lock (_gate)
            {
                return _opening ?? Task.CompletedTask;
            }
        }
    }

    private DateTimeOffset Now => _settings.Time.GetUtcNow();

    private ILogger Logger => _settings.Logger;

    /// <summary>Fills the pool now (at start): a node that cannot be reached is down, not an error.</summary>
    public Task WarmUpAsync(CancellationToken cancellationToken) => EnsureOpeningAsync(force: true, cancellationToken);

    /// <summary>
    /// An attempt now, past the back-off, when the pool is short of connections (the node was reported UP,
    /// or the reconciliation sweep came by). A full pool is left alone: an UP event never adds connections.
    /// </summary>
    public void ReconnectNow(string reason)
    {
        if (_disposed.IsCancellationRequested || OpenConnections >= Size)
        {
            return;
        }

        if (!IsUp)
        {
            CqlLog.Reconnecting(Logger, _address, Volatile.Read(ref _outageAttempts) + 1, reason);
        }

        _ = EnsureOpeningAsync(force: true, CancellationToken.None);
    }

    public async Task<CqlResponse> SendAsync(ICqlRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var connection = Pick();
        if (connection is null)
        {
            await EnsureOpeningAsync(force: false, cancellationToken);
            connection = Pick() ?? throw new CqlConnectionException(
                $"No connection to {Name} is open: {LastFailure?.Message ?? "the node is down or unreachable"}", LastFailure) { Host = _address, NotSent = true };
        }
        else if (OpenConnections < Size)
        {
            _ = EnsureOpeningAsync(force: false, CancellationToken.None);
        }

        return await connection.SendAsync(request, timeout, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();

        // An opening in flight either sees the cancellation and closes what it opened, or has added it already.
        await Opening.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        CqlConnection[] connections;
        lock (_gate)
        {
            connections = _connections;
            _connections = [];
        }

        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }
    }

    private CqlConnection? Pick()
    {
        CqlConnection? best = null;
        foreach (var connection in Volatile.Read(ref _connections))
        {
            if (connection.IsHealthy && (best is null || connection.AvailableStreamIds > best.AvailableStreamIds))
            {
                best = connection;
            }
        }

        return best;
    }

    /// <summary>One opening at a time; only while short of connections; outside the back-off window unless forced.</summary>
    private Task EnsureOpeningAsync(bool force, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_opening is { IsCompleted: false })
            {
                return _opening.WaitAsync(cancellationToken);
            }

            if (_disposed.IsCancellationRequested || OpenConnections >= Size || (!force && Now < _nextAttempt))
            {
                return Task.CompletedTask;
            }

            _opening = FillAsync();
            return _opening.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Opens connections until the pool is full; the first failure ends the round and schedules the next.</summary>
    private async Task FillAsync()
    {
        while (!_disposed.IsCancellationRequested && OpenConnections < Size)
        {
            if (_everConnected || !IsUp)
            {
                _settings.Metrics.ReconnectAttempt(this);
            }

            CqlConnection connection;
            try
            {
                connection = await CqlConnection.OpenAsync(_address, _options, _disposed.Token);
            }
            catch (Exception failure) when (_disposed.IsCancellationRequested && failure is OperationCanceledException)
            {
                return;
            }
            catch (Exception failure)
            {
                // Whatever it was (refused, reset, a garbled or unexpected handshake, bad credentials, a bug):
                // the node gets another attempt later. Letting any kind escape would end reconnection for good.
                OnAttemptFailed(failure);
                return;
            }

            if (!Add(connection))
            {
                await connection.DisposeAsync();
                return;
            }

            _ = connection.Closed.ContinueWith(_ => OnClosed(connection), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            OnConnected();
        }
    }

    private bool Add(CqlConnection connection)
    {
        lock (_gate)
        {
            if (_disposed.IsCancellationRequested)
            {
                return false;
            }

            _connections = [.. _connections.Where(c => !c.IsClosed), connection];
            _everConnected = true;
            _failedAttempts = 0;
            _nextAttempt = DateTimeOffset.MinValue;
            return true;
        }
    }

    private void OnConnected()
    {
        double outage;
        int attempts;
        lock (_gate)
        {
            if (_up)
            {
                return;
            }

            _up = true;
            outage = (Now - _downSince).TotalSeconds;
            attempts = _outageAttempts;
            _outageAttempts = 0;
            _loudFailureLogged = false;
        }

        CqlLog.NodeUp(Logger, _address, Math.Round(outage, 1), attempts);
        _onUpChanged(true);
    }

    private void OnAttemptFailed(Exception failure)
    {
        _settings.Metrics.ConnectionError(this, failure);
        var wait = BackOff(failure);
        if (Pick() is not null)
        {
            // Still up on the connections it has; a request or the sweep tops the pool up after the back-off.
            return;
        }

        if (!MarkDown(failure, wait))
        {
            ReportStillDown(failure, wait);
        }

        ScheduleRetry();
    }

    /// <summary>Records a failed attempt and puts the next one off by the back-off it has now reached.</summary>
    private TimeSpan BackOff(Exception failure)
    {
        Volatile.Write(ref _lastFailure, failure);
        lock (_gate)
        {
            _failedAttempts++;
            var wait = _settings.Backoff.Delay(_failedAttempts);
            _nextAttempt = Now + wait;
            return wait;
        }
    }

    /// <returns>True when this is the transition to down (logged once per outage).</returns>
    private bool MarkDown(Exception cause, TimeSpan wait)
    {
        lock (_gate)
        {
            if (_disposed.IsCancellationRequested || !_up)
            {
                return false;
            }

            _up = false;
            _downSince = Now;
            _lastWarning = _downSince;
            _outageAttempts = 0;
        }

        CqlLog.NodeDown(Logger, _address, Describe(cause), (long)wait.TotalMilliseconds);
        _onUpChanged(false);
        return true;
    }

    private void ReportStillDown(Exception failure, TimeSpan wait)
    {
        int attempt;
        bool warn;
        bool loud;
        double outage;
        lock (_gate)
        {
            attempt = ++_outageAttempts;
            var now = Now;
            outage = (now - _downSince).TotalSeconds;
            warn = now - _lastWarning >= _settings.StillDownWarningInterval;
            if (warn)
            {
                _lastWarning = now;
            }

            loud = IsLoud(failure) && !_loudFailureLogged;
            _loudFailureLogged |= loud;
        }

        CqlLog.ReconnectFailed(Logger, attempt, _address, Describe(failure), (long)wait.TotalMilliseconds);
        if (loud)
        {
            CqlLog.ConnectionRefusedLoudly(Logger, _address, Describe(failure));
        }

        if (warn)
        {
            CqlLog.NodeStillDown(Logger, _address, Math.Round(outage), attempt, Describe(failure));
        }
    }

    /// <summary>One retry loop per pool; it runs until the pool is full again or disposed.</summary>
    private void ScheduleRetry()
    {
        lock (_gate)
        {
            if (_retrying || _disposed.IsCancellationRequested)
            {
                return;
            }

            _retrying = true;
        }

        _ = RetryLoopAsync();
    }

    /// <summary>
    /// Runs until the pool is full or disposed, and only then lets <see cref="ScheduleRetry"/> start another.
    /// A fault of an opening itself (a throwing logger or listener, a bug; failed connection attempts never
    /// fault it) costs one back-off and the loop goes on; whatever ends the loop clears the flag, or no
    /// loop would ever be scheduled again and the node would stay down for good.
    /// </summary>
    private async Task RetryLoopAsync()
    {
        var cleared = false;
        try
        {
            while (true)
            {
                DateTimeOffset next;
                lock (_gate)
                {
                    if (_disposed.IsCancellationRequested || OpenConnections >= Size)
                    {
                        _retrying = false;
                        cleared = true;
                        return;
                    }

                    next = _nextAttempt;
                }

                var wait = next - Now;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _settings.Time, _disposed.Token);
                    continue;
                }

                try
                {
                    await EnsureOpeningAsync(force: true, _disposed.Token);
                }
                catch (Exception failure) when (failure is not OperationCanceledException || !_disposed.IsCancellationRequested)
                {
                    BackOff(failure);
                }
            }
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            // Disposed: the node left the topology or the session closed.
        }
        finally
        {
            if (!cleared)
            {
                lock (_gate)
                {
                    _retrying = false;
                }
            }
        }
    }

    private void OnClosed(CqlConnection connection)
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        if (Pick() is null && connection.CloseReason is { } reason)
        {
            // The node is down until a connection opens again; the attempt below follows at once.
            lock (_gate)
            {
                _nextAttempt = DateTimeOffset.MinValue;
            }

            MarkDown(reason, TimeSpan.Zero);
        }

        _ = EnsureOpeningAsync(force: false, CancellationToken.None);
    }

    /// <summary>
    /// Failures no waiting will cure (credentials, TLS, protocol): warned about once per outage, and
    /// retried all the same, because an operator may fix them without restarting this node.
    /// </summary>
    private static bool IsLoud(Exception failure) =>
        failure is CqlAuthenticationException or CqlServerProtocolErrorException
        || failure.InnerException is System.Security.Authentication.AuthenticationException;

    private static string Describe(Exception failure) =>
        failure.InnerException is { } inner && failure is CqlConnectionException && !failure.Message.Contains(inner.Message, StringComparison.Ordinal)
            ? $"{failure.Message} ({inner.Message})"
            : failure.Message;
}
