using System.Text.RegularExpressions;

namespace IdResolution.Core.Monitoring;

/// <summary>
/// Monthly reports from the journal: a node's incidents are the gaps in its alive marks longer than the
/// <c>tolerance</c> its marks are written at (this node: a minute; a child: two heartbeat intervals, after which it is late),
/// and, for a child, the stretches this node's probes of it failed.
/// </summary>
public sealed partial class MonthlyReports
{
    /// <summary>How often a node marks itself alive; a gap up to this long is the mark's granularity, not an outage.</summary>
    public static readonly TimeSpan SelfMarkInterval = TimeSpan.FromMinutes(1);

    private readonly IOperationsJournal _journal;
    private readonly string _self;
    private readonly TimeSpan _childTolerance;
    private readonly TimeProvider _time;

    public MonthlyReports(IOperationsJournal journal, string selfPrefix, TimeSpan heartbeatInterval, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentException.ThrowIfNullOrEmpty(selfPrefix);
        ArgumentNullException.ThrowIfNull(time);
        _journal = journal;
        _self = selfPrefix;
        _childTolerance = heartbeatInterval * 2;
        _time = time;
    }

    public string Self => _self;

    /// <summary>A node name the journal can be asked about: a prefix (dot-separated letters, digits, '-' and '_').</summary>
    public static bool IsNodeName(string? node) => node is { Length: > 0 and <= 128 } && NodeName().IsMatch(node);

    /// <summary>The report, or null when nothing was ever recorded of <paramref name="node"/>.</summary>
    public async ValueTask<MonthlyReport?> ReportAsync(string node, ReportMonth month, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(node);
        if (!_journal.Knows(node))
        {
            return null;
        }

        var history = await _journal.ReadAsync(node, month, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var from = history.FirstSeen ?? month.End;
        var observed = new TimeRange(from, now < month.End ? now : month.End).ClipTo(month.Range);
        var tolerance = string.Equals(node, _self, StringComparison.OrdinalIgnoreCase) ? SelfMarkInterval : _childTolerance;
        var incidents = TimeRanges.Union(AvailabilityCalculator.Gaps(history.Alive, observed, tolerance)
            .Concat(history.ProbeFailures.Select(f => f.ClipTo(observed)).Where(f => f.Length > TimeSpan.Zero)));
        return AvailabilityCalculator.Calculate(node, month, observed, incidents, history.Maintenance, history.Registrations, history.Resolutions);
    }

    /// <summary>Records a window for <paramref name="node"/>, declared now; refused (null) when it ends before it starts.</summary>
    public async ValueTask<MaintenanceWindow?> DeclareAsync(string node, TimeRange when, string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(node);
        ArgumentNullException.ThrowIfNull(reason);
        if (when.End <= when.Start)
        {
            return null;
        }

        var window = new MaintenanceWindow(when, _time.GetUtcNow(), reason);
        await _journal.DeclareMaintenanceAsync(node, window, cancellationToken).ConfigureAwait(false);
        return window;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex NodeName();
}
