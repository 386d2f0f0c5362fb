using IdResolution.Core.Duties;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IdResolution.Node.Hosting;

/// <summary>
/// The <c>/readyz</c> detail of the parent's escrow of this node: how far behind it is, and a warning
/// (Degraded, which keeps the node ready) while retention will soon drop change-log entries it has not
/// applied, or has dropped some. The node serves its clients either way; the warning is for its operator.
/// </summary>
internal sealed class EscrowDepositHealthCheck(EscrowDeposit deposit) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        DepositStatus status;
        try
        {
            status = await deposit.ReadStatusAsync(cancellationToken);
        }
#pragma warning disable CA1031 // The store's own check reports an unavailable store; this one only says it could not tell.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return HealthCheckResult.Degraded("the escrow's lag could not be read", exception);
        }

        if (status.Applied is not { } applied)
        {
            return HealthCheckResult.Healthy("the parent has not read this node's change log yet");
        }

        var data = new Dictionary<string, object>
        {
            ["parentApplied"] = applied,
            ["lagEntries"] = status.LagEntries,
            ["lagSeconds"] = Math.Round(status.LagSeconds, 1),
        };
        return status switch
        {
            { Trimmed: true } => HealthCheckResult.Degraded(
                "retention dropped change-log entries the parent's escrow had not applied: it must start again from a dump", data: data),
            { AtRisk: true } => HealthCheckResult.Degraded(
                $"retention will drop change-log entries the parent's escrow has not applied within {EscrowDeposit.WarningLead.TotalMinutes:0} minutes (ChangeLog:RetentionHours, ChangeLog:MaxEntries)",
                data: data),
            _ => HealthCheckResult.Healthy("the parent's escrow is reading the change log", data),
        };
    }
}
