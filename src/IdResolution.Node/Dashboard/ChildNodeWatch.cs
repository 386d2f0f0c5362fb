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
    private Reading? _reading;
    private IReadOnlyList<AdmittedNode> _lastNodes = [];
    private IReadOnlyDictionary<string, double> _lastAvailability = new Dictionary<string, double>();

    /// <summary>The children's status lines now, the list read again first when it is older than the lifetime.</summary>
    public async Task<IReadOnlyList<ChildNodeStatus>> CurrentAsync()
    {
        var reading = Read();
        var nodes = await reading.Nodes;
        return Lines(nodes, await reading.Availability);
    }

    /// <summary>
    /// How many children are in each status (starting a new read of the list when it is stale, without waiting for it).
    /// Only the list is needed, not the availability, so a metrics scrape never waits on the journal.
    /// </summary>
    public IReadOnlyDictionary<string, int> CountsByStatus()
    {
        var nodes = Read().Nodes;
        var children = Lines(nodes.IsCompletedSuccessfully ? nodes.Result : Volatile.Read(ref _lastNodes), Volatile.Read(ref _lastAvailability));
        return children.GroupBy(c => c.Status, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }

    private List<ChildNodeStatus> Lines(IReadOnlyList<AdmittedNode> nodes, IReadOnlyDictionary<string, double> availability)
    {
        var now = time.GetUtcNow();
        return [.. nodes.Select(n => ChildStatuses.Of(n, heartbeats.StatusOf(n.Prefix), availability.TryGetValue(n.Prefix, out var percent) ? percent : null, now))];
    }

    private Reading Read()
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_reading is not { } reading || now - reading.ReadAt >= Lifetime)
            {
                var nodes = ListAsync();
                reading = new Reading(now, nodes, AvailabilityAsync(nodes));
                _reading = reading;
            }

            return reading;
        }
    }

    private async Task<IReadOnlyList<AdmittedNode>> ListAsync()
    {
        try
        {
            var listed = await core.Nodes.ListAsync(Reader, CancellationToken.None);
            if (!listed.IsSuccess)
            {
                return Volatile.Read(ref _lastNodes);
            }

            Volatile.Write(ref _lastNodes, listed.Value);
            return listed.Value;
        }
#pragma warning disable CA1031 // A store hiccup keeps the last list for one lifetime; the rest of the status still answers.
        catch (Exception)
#pragma warning restore CA1031
        {
            return Volatile.Read(ref _lastNodes);
        }
    }

    /// <summary>Each child's availability this month so far, from the journal; absent while nothing is scheduled.</summary>
    private async Task<IReadOnlyDictionary<string, double>> AvailabilityAsync(Task<IReadOnlyList<AdmittedNode>> listing)
    {
        try
        {
            var now = time.GetUtcNow();
            var month = new ReportMonth(now.Year, now.Month);
            var availability = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
            foreach (var node in await listing)
            {
                if (MonthlyReports.IsNodeName(node.Prefix) && await reports.ReportAsync(node.Prefix, month, CancellationToken.None) is { AvailabilityPercent: { } percent })
                {
                    availability[node.Prefix] = percent;
                }
            }

            Volatile.Write(ref _lastAvailability, availability);
            return availability;
        }
#pragma warning disable CA1031 // A journal hiccup keeps the last figures for one lifetime; the states still answer.
        catch (Exception)
#pragma warning restore CA1031
        {
            return Volatile.Read(ref _lastAvailability);
        }
    }

    private sealed record Reading(DateTimeOffset ReadAt, Task<IReadOnlyList<AdmittedNode>> Nodes, Task<IReadOnlyDictionary<string, double>> Availability);
}
