using System.Net;
using System.Runtime.CompilerServices;
using IdResolution.Cql.Connections;
using IdResolution.Cql.Errors;
using IdResolution.Cql.Protocol.Requests;
using IdResolution.Cql.Protocol.Responses;

namespace IdResolution.Cql.Cluster;

/// <summary>The control connection: opened on any node, moved to another when it is lost, and its events.</summary>
public sealed partial class CqlSession
{
    private static readonly string[] Events = ["TOPOLOGY_CHANGE", "STATUS_CHANGE", "SCHEMA_CHANGE"];
    private int _replacingControl;

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

    private async Task ListenAsync(CqlConnection control, CancellationToken cancellationToken)
    {
        control.EventReceived += OnEvent;
        _ = control.Closed.ContinueWith(_ => OnControlClosed(control), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        await control.SendAsync(new RegisterRequest(Events), _options.Execution.RequestTimeout, cancellationToken);
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
            case StatusChangeEvent status:
                CqlLog.NodeEvent(_logger, "STATUS_CHANGE", status.Change, status.Address);
                if (status.Change == "UP")
                {
                    PoolAt(status.Address)?.ReconnectNow("reported UP by the cluster");
                }

                break;
            case TopologyChangeEvent topology:
                CqlLog.NodeEvent(_logger, "TOPOLOGY_CHANGE", topology.Change, topology.Address);
                _ = RefreshQuietlyAsync();
                break;
            case SchemaChangeEvent:
                _ = RefreshQuietlyAsync();
                break;
        }

        Interlocked.Increment(ref _eventsHandled);
    }

    private HostPool? PoolAt(IPEndPoint address)
    {
        lock (_pools)
        {
            // Events name the node's native address; ports differ only on test rigs with several nodes on one address.
            return _pools.Values.Where(entry => entry.Host.Info.Address.Address.Equals(address.Address))
                .OrderByDescending(entry => entry.Host.Info.Address.Port == address.Port)
                .Select(entry => entry.Pool)
                .FirstOrDefault();
        }
    }

    private void OnControlClosed(CqlConnection control)
    {
        if (_disposed.IsCancellationRequested || !ReferenceEquals(Volatile.Read(ref _control), control))
        {
            return;
        }

        CqlLog.ControlConnectionLost(_logger, control.RemoteEndPoint, control.CloseReason?.Message ?? "closed");
        _ = ReplaceControlAsync();
    }

    /// <summary>
    /// The control connection is lost: open one to any known node, backing off until one answers. One
    /// replacement at a time; a connection that opened but could not take over is closed, never left open.
    /// </summary>
    private async Task ReplaceControlAsync()
    {
        if (Interlocked.Exchange(ref _replacingControl, 1) != 0)
        {
            return;
        }

        try
        {
            var backoff = _poolSettings.Backoff;
            for (var attempt = 1; !_disposed.IsCancellationRequested; attempt++)
            {
                CqlConnection? opened = null;
                try
                {
                    var previous = Volatile.Read(ref _control);
                    opened = await OpenControlAsync(_options, _connectionOptions, UpNodesFirst(), _disposed.Token);
                    Volatile.Write(ref _control, opened);
                    await ListenAsync(opened, _disposed.Token);
                    await RefreshAsync(_disposed.Token);
                    CqlLog.ControlConnectionMoved(_logger, previous.RemoteEndPoint, opened.RemoteEndPoint);
                    return;
                }
                catch (Exception failure)
                {
                    if (opened is not null)
                    {
                        await opened.DisposeAsync();
                    }

                    if (_disposed.IsCancellationRequested)
                    {
                        // Closed while moving: what this attempt opened is closed above, not left behind.
                        return;
                    }

                    var wait = backoff.Delay(attempt);
                    CqlLog.ControlConnectionRetry(_logger, failure.Message, (long)wait.TotalMilliseconds);
                    await Task.Delay(wait, _options.TimeProvider, _disposed.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
            }
        }
        finally
        {
            Volatile.Write(ref _replacingControl, 0);
        }
    }

    /// <summary>Nodes the pools hold connections to first: they are the likeliest to take the control connection.</summary>
    private List<IPEndPoint> UpNodesFirst()
    {
        lock (_pools)
        {
            return [.. _pools.Values.OrderByDescending(entry => entry.Pool.IsUp).Select(entry => entry.Host.Info.Address)];
        }
    }
}
