namespace IdResolution.Core.Monitoring;

/// <summary>The durable record a monthly report is computed from: alive marks and declared maintenance, per node.</summary>
public interface IOperationsJournal
{
    /// <summary>Durable when the task completes.</summary>
    ValueTask RecordAliveAsync(AliveMark mark, CancellationToken cancellationToken);

    /// <summary>
    /// A stretch during which the parent's own probes of child <paramref name="node"/> failed (an incident even while its
    /// heartbeats come). Overlapping stretches may be recorded; a report takes their union. Durable when the task completes.
    /// </summary>
    ValueTask RecordProbeFailureAsync(string node, TimeRange failed, CancellationToken cancellationToken);

    /// <summary>Durable when the task completes.</summary>
    ValueTask DeclareMaintenanceAsync(string node, MaintenanceWindow window, CancellationToken cancellationToken);

    ValueTask<OperationsHistory> ReadAsync(string node, ReportMonth month, CancellationToken cancellationToken);

    /// <summary>Whether anything was ever recorded for <paramref name="node"/>.</summary>
    bool Knows(string node);
}
