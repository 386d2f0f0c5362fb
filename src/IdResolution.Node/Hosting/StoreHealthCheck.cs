using IdResolution.Core.Storage;
using IdResolution.Storage.Cassandra;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IdResolution.Node.Hosting;

/// <summary>
/// Ready means the store can serve; a node that cannot should leave the load balancer. For Cassandra that
/// is writes and authoritative reads at the configured consistency, and the report says so, with each node's state.
/// </summary>
internal sealed class StoreHealthCheck(IHandleStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            if (store is CassandraHandleStore cassandra)
            {
                var readiness = await cassandra.CheckReadinessAsync(cancellationToken);
                return new HealthCheckResult(readiness.Ready ? HealthStatus.Healthy : context.Registration.FailureStatus, readiness.Description, data: readiness.Details);
            }

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
