using System.Net;
using IdResolution.Cql.Connections;
using IdResolution.Cql.Protocol;

namespace IdResolution.Cql;

/// <summary>
/// The connections to one node. A request goes on the open connection with the most free stream
/// ids. Connections that close are replaced in the background; when none can be opened the node is
/// reported down and reconnection backs off (doubling, up to a cap), so a dead node costs the
/// cluster one connect attempt per interval, not one per request.
/// </summary>
internal sealed class HostPool : ICqlRequestChannel, IAsyncDisposable
{
    private static readonly TimeSpan FirstReconnectDelay = TimeSpan.FromMilliseconds(500);
    private readonly EndPoint _address;
    private readonly CqlConnectionOptions _options;
    private readonly int _size;
    private readonly TimeSpan _maxDelay;
    private readonly Action<bool> _onUpChanged;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _disposed = new();
    private CqlConnection[] _connections = [];
    private Task? _opening;
    private DateTimeOffset _nextAttempt = DateTimeOffset.MinValue;
    private TimeSpan _delay = FirstReconnectDelay;
    private bool _up = true;
    private Exception? _lastFailure;

    public HostPool(EndPoint address, CqlConnectionOptions options, int size, TimeSpan maxReconnectDelay, Action<bool> onUpChanged)
    {
        _address = address;
        _options = options;
        _size = Math.Max(1, size);
        _maxDelay = maxReconnectDelay;
        _onUpChanged = onUpChanged;
    }

    public string Name => _address.ToString() ?? "node";

    public int OpenConnections => Volatile.Read(ref _connections).Count(connection => !connection.IsClosed);

    /// <summary>
    /// Opens a connection now (at start, or when the cluster says the node is up again); a node that
    /// cannot be reached is down, not an error.
    /// </summary>
    public Task WarmUpAsync(CancellationToken cancellationToken) => EnsureOpeningAsync(force: true, cancellationToken);

    public async Task<CqlResponse> SendAsync(ICqlRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var connection = Pick();
        if (connection is null)
        {
            await EnsureOpeningAsync(force: false, cancellationToken);
            connection = Pick() ?? throw new CqlConnectionException(
                $"No connection to {Name} is open: {Volatile.Read(ref _lastFailure)?.Message ?? "the node is down or unreachable"}", Volatile.Read(ref _lastFailure));
        }
        else if (OpenConnections < _size)
        {
            _ = EnsureOpeningAsync(force: false, CancellationToken.None);
        }

        return await connection.SendAsync(request, timeout, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        foreach (var connection in Volatile.Read(ref _connections))
        {
            await connection.DisposeAsync();
        }

        _disposed.Dispose();
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

    /// <summary>One opening at a time; outside the back-off window unless forced.</summary>
    private Task EnsureOpeningAsync(bool force, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_opening is { IsCompleted: false })
            {
                return _opening.WaitAsync(cancellationToken);
            }

            if (!force && DateTimeOffset.UtcNow < _nextAttempt)
            {
                return Task.CompletedTask;
            }

            _opening = OpenAsync();
            return _opening.WaitAsync(cancellationToken);
        }
    }

    private async Task OpenAsync()
    {
        try
        {
            var connection = await CqlConnection.OpenAsync(_address, _options, _disposed.Token);
            _ = connection.Closed.ContinueWith(_ => OnClosed(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            lock (_gate)
            {
                _connections = [.. _connections.Where(c => !c.IsClosed), connection];
                _delay = FirstReconnectDelay;
                _nextAttempt = DateTimeOffset.MinValue;
            }

            SetUp(true);
        }
        catch (Exception failure) when (failure is CqlConnectionException or System.Net.Sockets.SocketException or IOException or TimeoutException or OperationCanceledException or CqlServerException)
        {
            Volatile.Write(ref _lastFailure, failure);
            TimeSpan wait;
            lock (_gate)
            {
                wait = _delay;
                _nextAttempt = DateTimeOffset.UtcNow + _delay;
                _delay = _delay * 2 < _maxDelay ? _delay * 2 : _maxDelay;
            }

            if (Pick() is null)
            {
                // Down: the planner stops offering this node, so no request will come to retry it.
                SetUp(false);
                _ = RetryLaterAsync(wait);
            }
        }
    }

    private async Task RetryLaterAsync(TimeSpan wait)
    {
        try
        {
            await Task.Delay(wait, _disposed.Token);
            await EnsureOpeningAsync(force: true, _disposed.Token);
        }
        catch (OperationCanceledException)
        {
            // Disposed while waiting.
        }
    }

    private void OnClosed()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        if (Pick() is null)
        {
            SetUp(false);
        }

        _ = EnsureOpeningAsync(force: false, CancellationToken.None);
    }

    private void SetUp(bool up)
    {
        bool changed;
        lock (_gate)
        {
            changed = _up != up;
            _up = up;
        }

        if (changed)
        {
            _onUpChanged(up);
        }
    }
}
