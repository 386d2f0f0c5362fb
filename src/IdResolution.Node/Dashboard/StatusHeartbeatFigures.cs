using IdResolution.Contracts.V1;
using IdResolution.Core.Monitoring;

namespace IdResolution.Node.Dashboard;

/// <summary>A node's status, as its status page shows it, turned into the figures its heartbeat carries to its parent.</summary>
internal static class StatusHeartbeatFigures
{
    public static HeartbeatFigures From(NodeStatusReply status, long feedLastPosition, long? escrowApplied)
    {
        ArgumentNullException.ThrowIfNull(status);
        var figures = status.Figures ?? new StatusFigures();
        var errors = figures.ErrorsByCode.ToDictionary(e => e.Key, e => (long)e.Value);
        return new HeartbeatFigures(
            (long)figures.ResolutionsTotal,
            (long)figures.RegistrationsTotal,
            errors.Values.Sum(),
            TimeSpan.FromSeconds(Math.Max(0, status.UptimeSeconds)),
            status.Version,
            feedLastPosition,
            (long)(status.Federation?.FilingBacklog ?? 0),
            status.StartedAt.ToDateTimeOffset())
        {
            ErrorsByCode = errors,
            ResolveP50Ms = figures.ResolveP50Ms,
            ResolveP99Ms = figures.ResolveP99Ms,
            CacheHitRatio = figures.CacheHitRatio.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal),
            StoreHealth = StateOf(status, "store"),
            RedisHealth = StateOf(status, "redis"),
            EscrowAppliedPosition = escrowApplied,
        };
    }

    private static string StateOf(NodeStatusReply status, string dependency) =>
        status.Dependencies.FirstOrDefault(d => d.Name == dependency)?.State ?? DependencyStates.NotConfigured;
}
