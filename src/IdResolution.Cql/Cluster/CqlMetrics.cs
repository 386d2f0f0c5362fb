using System.Diagnostics.Metrics;
using IdResolution.Cql.Errors;

namespace IdResolution.Cql.Cluster;

/// <summary>
/// The client's instruments on the <c>IdResolution.Cql</c> meter, tagged by node (<c>node</c> = address:port):
/// open connections and up/down as gauges read from the pools, reconnect attempts and failed connection
/// openings as counters. One meter per session, disposed with it.
/// </summary>
internal sealed class CqlMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _reconnectAttempts;
    private readonly Counter<long> _connectionErrors;

    public CqlMetrics(IMeterFactory? factory, Func<IReadOnlyCollection<HostPool>> pools)
    {
        _meter = factory?.Create(CqlSession.MeterName) ?? new Meter(CqlSession.MeterName);
        _ownsMeter = factory is null;
        _meter.CreateObservableGauge(
            "idres.cql.connections",
            () => pools().Select(pool => new Measurement<int>(pool.OpenConnections, Node(pool))),
            description: "Open connections to each Cassandra node of the local data centre.");
        _meter.CreateObservableGauge(
            "idres.cql.node.up",
            () => pools().Select(pool => new Measurement<int>(pool.IsUp ? 1 : 0, Node(pool))),
            description: "1 while the client holds a connection to the node, 0 while it is down for the client.");
        _reconnectAttempts = _meter.CreateCounter<long>("idres.cql.reconnect.attempts", description: "Attempts to open a connection to a node that lost its connections or is down.");
        _connectionErrors = _meter.CreateCounter<long>("idres.cql.connection.errors", description: "Connection openings (connect, TLS, handshake, authentication) that failed, by node and reason.");
    }

    internal Meter Meter => _meter;

    public void ReconnectAttempt(HostPool pool) => _reconnectAttempts.Add(1, Node(pool));

    public void ConnectionError(HostPool pool, Exception failure) =>
        _connectionErrors.Add(1, Node(pool), new KeyValuePair<string, object?>("reason", Reason(failure)));

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    /// <summary>The innermost cause's kind: "SocketException" says more than the CqlConnectionException around it.</summary>
    private static string Reason(Exception failure)
    {
        var cause = failure;
        while (cause is CqlConnectionException { InnerException: { } inner })
        {
            cause = inner;
        }

        return cause.GetType().Name;
    }

    private static KeyValuePair<string, object?> Node(HostPool pool) => new("node", pool.Name);
}
