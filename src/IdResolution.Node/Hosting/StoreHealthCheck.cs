using IdResolution.Core.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IdResolution.Node.Hosting;

/// <summary>Ready means the store answers; a node that cannot reach its store should leave the load balancer.</summary>
internal sealed class StoreHealthCheck(IHandleStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.CheckHealthAsync(cancellationToken);
            return HealthCheckResult.Healthy("store reachable");
        }
#pragma warning disable CA1031 // Any failure means not ready; the reason goes in the report.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return HealthCheckResult.Unhealthy("store unavailable", exception);
        }
    }
}
