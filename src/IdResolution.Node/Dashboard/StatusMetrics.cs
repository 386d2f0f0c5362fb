using System.Diagnostics.Metrics;
using IdResolution.Core.Composition;
using IdResolution.Core.Telemetry;

namespace IdResolution.Node.Dashboard;

/// <summary>
/// The status's own figures exported with the node's metrics, so Prometheus alerts see what the dashboard
/// sees: each probed dependency (<c>idres_dependency_up</c>, <c>idres_dependency_probe_duration_seconds</c>),
/// the admitted children by status (<c>idres_child_nodes</c>) and the referral cache's size
/// (<c>idres_federation_referral_cache_entries</c>). Escrow exports its own figures.
/// Observed when metrics are collected; nothing is computed for them in between.
/// </summary>
internal sealed class StatusMetrics
{
    public StatusMetrics(IMeterFactory meters, DependencyProbe probe, ChildNodeWatch children, CoreServices core)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(NodeMetrics.MeterName);
        meter.CreateObservableGauge("idres.dependency.up", () => probe.Current
            .Where(d => d.State is not (DependencyStates.NotConfigured or DependencyStates.Unknown))
            .Select(d => new Measurement<int>(d.State == DependencyStates.Up ? 1 : 0, new KeyValuePair<string, object?>("dependency", d.Name))),
            description: "Each dependency as the last probe (every second) found it: 1 up, 0 down or degraded. Not reported when not configured.");
        meter.CreateObservableGauge("idres.dependency.probe.duration", () => probe.Current
            .Where(d => d.State is not (DependencyStates.NotConfigured or DependencyStates.Unknown))
            .Select(d => new Measurement<double>(d.LatencyMs / 1000, new KeyValuePair<string, object?>("dependency", d.Name))),
            unit: "s", description: "Round trip of the last probe of each dependency.");
        meter.CreateObservableGauge("idres.child.nodes", () => children.CountsByStatus()
            .Select(c => new Measurement<int>(c.Value, new KeyValuePair<string, object?>("status", c.Key))),
            description: "Admitted child nodes by status, from their heartbeats: up, late, down, suspended (unknown for three intervals after this node starts).");
        meter.CreateObservableGauge("idres.federation.referral_cache.entries", () => Math.Max(0, core.Federation.Referrals.Count),
            description: "Referrals to other nodes held in the referral cache (fresh and stale).");
    }
}
