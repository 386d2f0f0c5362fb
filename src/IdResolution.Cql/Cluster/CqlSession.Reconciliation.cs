namespace IdResolution.Cql.Cluster;

/// <summary>
/// The safety net behind back-off and UP events: on a timer, every node of the topology that is not up
/// (or short of connections) gets an attempt, a failed topology read is repeated, and a lost control
/// connection is replaced. An UP event can be missed (the control connection was moving) and a back-off
/// loop can be long; this bounds how long a node that came back stays unused.
/// </summary>
public sealed partial class CqlSession
{
    private volatile bool _topologyStale;

    private async Task ReconcileAsync()
    {
        using var timer = new PeriodicTimer(_options.ReconciliationInterval, _options.TimeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(_disposed.Token))
            {
                await ReconcileOnceAsync();
            }
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            // The session closed.
        }
    }

    private async Task ReconcileOnceAsync()
    {
        try
        {
            if (Volatile.Read(ref _control).IsClosed)
            {
                _ = ReplaceControlAsync();
            }
            else if (_topologyStale)
            {
                await RefreshQuietlyAsync();
            }

            foreach (var pool in Pools())
            {
                pool.ReconnectNow("reconciliation");
            }
        }
        catch (Exception failure) when (!_disposed.IsCancellationRequested)
        {
            // One bad sweep must not end the sweeps.
            CqlLog.TopologyReadFailed(_logger, failure.Message);
        }
    }
}
