using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using IdResolution.Contracts.V1;
using IdResolution.Core.Administration;
using IdResolution.Core.Monitoring;

namespace IdResolution.Node.Dashboard;

/// <summary>
/// The one place that turns an admitted child into its status line: a suspended child is <c>suspended</c> (since its
/// suspension), any other as its heartbeats show it, <c>up</c> / <c>late</c> / <c>down</c> (or <c>unknown</c> just after
/// this node started) since when, with its last figures and where its monthly report is.
/// </summary>
internal static class ChildStatuses
{
    public const string Unknown = "unknown";
    public const string Suspended = "suspended";

    public static ChildNodeStatus Of(AdmittedNode node, ChildHeartbeatStatus heartbeats, double? availabilityPercent, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(heartbeats);
        var status = new ChildNodeStatus
        {
            Prefix = node.Prefix,
            Name = node.Name,
            Status = node.Suspended ? Suspended : heartbeats.State.ToString().ToLowerInvariant(),
            Since = Timestamp.FromDateTimeOffset(node.Suspended ? node.StatusSince : heartbeats.Since),
            LastHeartbeat = heartbeats.LastHeartbeat is { } last ? Timestamp.FromDateTimeOffset(last) : null,
            ReportUrl = string.Create(CultureInfo.InvariantCulture, $"/v1/admin/reports/{now:yyyy-MM}?node={Uri.EscapeDataString(node.Prefix)}&format=markdown"),
        };
        // Left unset without a figure: 0 would read as a child that was down all month.
        if (availabilityPercent is { } availability)
        {
            status.AvailabilityPercent = availability;
        }

        if (heartbeats.Figures is { } figures)
        {
            status.Figures = FiguresOf(figures);
        }

        return status;
    }

    private static StatusFigures FiguresOf(HeartbeatFigures figures)
    {
        var status = new StatusFigures
        {
            ResolutionsTotal = (ulong)figures.Resolutions,
            RegistrationsTotal = (ulong)figures.Registrations,
            ResolveP50Ms = figures.ResolveP50Ms,
            ResolveP99Ms = figures.ResolveP99Ms,
        };
        foreach (var (code, count) in figures.ErrorsByCode)
        {
            status.ErrorsByCode[code] = (ulong)count;
        }

        foreach (var (tier, ratio) in figures.CacheHitRatio)
        {
            status.CacheHitRatio[tier] = ratio;
        }

        return status;
    }
}
