using IdResolution.Contracts.V1;
using IdResolution.Core.Administration;
using IdResolution.Core.Composition;
using IdResolution.Core.Monitoring;
using IdResolution.Core.Security;

namespace IdResolution.Node.Dashboard;

/// <summary>
/// The admitted children and their status lines. The list and each child's availability this month are read at most
/// every few seconds however many pages, scripts and scrapes ask (listing walks every prefix handle the node stores,
/// a report reads the journal); up / late / down is decided from the heartbeats at every call, as it changes within
/// seconds. Read as the node itself.
/// </summary>
internal sealed class ChildNodeWatch(CoreServices core, ChildHeartbeats heartbeats, MonthlyReports reports, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);
    private static readonly Caller Reader = Caller.Administrator("node status", "local");

    private readonly object _gate = new();
    private (DateTimeOffset ReadAt, Task<IReadOnlyList<Listed>> Children)? _reading;
    private IReadOnlyList<Listed> _last = [];

    /// <summary>The children's status lines now, the list read again first when it is older than the lifetime.</summary>
    public async Task<IReadOnlyList<ChildNodeStatus>> CurrentAsync() => Lines(await ListedAsync());

    /// <summary>How many children are in each status (starting a new read of the list when it is stale, without waiting for it).</summary>
    public IReadOnlyDictionary<string, int> CountsByStatus()
    {
        var current = ListedAsync();
        var children = Lines(current.IsCompletedSuccessfully ? current.Result : Volatile.Read(ref _last));
        return children.GroupBy(c => c.Status, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }

    private List<ChildNodeStatus> Lines(IReadOnlyList<Listed> children)
    {
        var now = time.GetUtcNow();
        return [.. children.Select(c => ChildStatuses.Of(c.Node, heartbeats.StatusOf(c.Node.Prefix), c.AvailabilityPercent, now))];
    }

    private Task<IReadOnlyList<Listed>> ListedAsync()
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_reading is not { } reading || now - reading.ReadAt >= Lifetime)
            {
                reading = (now, ListAsync());
                _reading = reading;
            }

            return reading.Children;
        }
    }

    private async Task<IReadOnlyList<Listed>> ListAsync()
    {
        try
        {
            var listed = await core.Nodes.ListAsync(Reader, CancellationToken.None);
            if (!listed.IsSuccess)
            {
                return Volatile.Read(ref _last);
            }

            var now = time.GetUtcNow();
            var month = new ReportMonth(now.Year, now.Month);
            var children = new List<Listed>(listed.Value.Count);
            foreach (var node in listed.Value)
            {
                var report = MonthlyReports.IsNodeName(node.Prefix) ? await reports.ReportAsync(node.Prefix, month, CancellationToken.None) : null;
                children.Add(new Listed(node, report?.AvailabilityPercent));
            }

            Volatile.Write(ref _last, children);
            return children;
        }
#pragma warning disable CA1031 // A store or journal hiccup keeps the last list for one lifetime; the rest of the status still answers.
        catch (Exception)
#pragma warning restore CA1031
        {
            return Volatile.Read(ref _last);
        }
    }

    private sealed record Listed(AdmittedNode Node, double? AvailabilityPercent);
}
