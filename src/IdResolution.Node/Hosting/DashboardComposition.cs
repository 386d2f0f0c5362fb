using IdResolution.Caching.Redis;
using IdResolution.Core.Composition;
using IdResolution.Core.Federation;
using IdResolution.Node.Dashboard;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IdResolution.Node.Hosting;

/// <summary>
/// Wires the node's status: the dependency probe (every second), the running totals and the last hour
/// (from the node's own instruments), the status builder behind <c>GET /v1/admin/status</c> and the
/// dashboard, and the health checks that read the probe.
/// </summary>
internal static class DashboardComposition
{
    public static void AddNodeStatus(this IServiceCollection services, IHealthChecksBuilder health, string liveTag, string readyTag)
    {
        services.AddSingleton<IDependencyCheck, StoreCheck>();
        services.AddSingleton<IDependencyCheck>(sp => new RedisCheck(sp.GetService<RedisRecordCache>()));
        services.AddSingleton<IDependencyCheck>(sp => new RedisCircuitCheck(sp.GetService<RedisRecordCache>()));
        services.AddSingleton<IDependencyCheck>(sp => new ParentLinkCheck(sp.GetRequiredService<CoreServices>(), sp.GetRequiredService<INodeLink>()));
        services.AddSingleton<DependencyProbe>();
        services.AddHostedService(sp => sp.GetRequiredService<DependencyProbe>());
        services.AddSingleton<TrafficRecorder>();
        services.AddSingleton<TrafficHistory>();
        services.AddHostedService<StatusClock>();
        services.AddSingleton(sp => new FederationFiling(FederationComposition.CreateFiler(sp), FederationComposition.CreateTakeoverObserver(sp)));
        services.AddSingleton<ChildNodeWatch>();
        services.AddSingleton<NodeStatusBuilder>();
        services.AddSingleton<StatusMetrics>();
        services.AddSingleton<EscrowReadings>();

        // A dead parent does not stop the node serving its own identifiers: degraded, never unready.
        health.Add(new HealthCheckRegistration("parent", sp => new ProbedHealthCheck(sp.GetRequiredService<DependencyProbe>(), "parent"),
            HealthStatus.Degraded, [readyTag, liveTag]));

        // Liveness names every impaired dependency but never fails for one: a restart does not bring Redis back.
        health.Add(new HealthCheckRegistration("dependencies", sp => new ProbedHealthCheck(sp.GetRequiredService<DependencyProbe>(), null),
            HealthStatus.Degraded, [liveTag]));
    }

    /// <summary>Starts counting before the first request (and the first administrator's creation) is measured.</summary>
    public static void StartNodeStatus(this WebApplication app)
    {
        app.Services.GetRequiredService<TrafficRecorder>();
        app.Services.GetRequiredService<StatusMetrics>();
        app.Services.GetRequiredService<EscrowReadings>();
    }

    /// <summary>A dependency (or, without a name, every one) as the probe last found it; at worst the registration's failure status.</summary>
    private sealed class ProbedHealthCheck(DependencyProbe probe, string? name) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var impaired = probe.Current
                .Where(d => (name is null || d.Name == name) && d.State is DependencyStates.Down or DependencyStates.Degraded)
                .Select(d => $"{d.Name} {d.State}: {d.Detail}")
                .ToList();
            return Task.FromResult(impaired.Count == 0
                ? HealthCheckResult.Healthy(name is null ? "no dependency impaired" : $"{name} up or not configured")
                : new HealthCheckResult(context.Registration.FailureStatus, string.Join("; ", impaired)));
        }
    }
}
