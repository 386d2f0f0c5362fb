using System.Diagnostics;
using System.Reflection;
using Google.Protobuf.WellKnownTypes;
using IdResolution.Contracts.V1;
using IdResolution.Core.Composition;
using IdResolution.Node.Security;

namespace IdResolution.Node.Dashboard;

/// <summary>
/// Builds the node's status (the contract's <see cref="NodeStatusReply"/>) from the running totals, the
/// last hour's history, the dependency probe, the federation duties and the admitted children: the same
/// answer for <c>GET /v1/admin/status</c>, the dashboard's live stream and scripts. Callers are checked
/// before (administrators only).
/// </summary>
internal sealed class NodeStatusBuilder(
    CoreServices core,
    NodeIdentity identity,
    DependencyProbe probe,
    TrafficRecorder recorder,
    TrafficHistory history,
    FederationFiling filing,
    ChildNodeWatch children,
    RecentAudit audit,
    EscrowReadings escrow,
    TimeProvider time)
{
    public const string Healthy = "Healthy";
    public const string Degraded = "Degraded";
    public const string Unhealthy = "Unhealthy";

    private static readonly string Version = typeof(NodeStatusBuilder).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
    private static readonly DateTimeOffset StartedAt = Process.GetCurrentProcess().StartTime.ToUniversalTime();

    /// <summary>Healthy, Degraded (serving; a dependency impaired) or Unhealthy (an essential dependency down), as the last probe found them.</summary>
    public string Health(IReadOnlyList<DependencySnapshot> dependencies)
    {
        ArgumentNullException.ThrowIfNull(dependencies);
        if (dependencies.Any(d => d.State == DependencyStates.Down && probe.IsEssential(d.Name)))
        {
            return Unhealthy;
        }

        return dependencies.Any(d => d.State is DependencyStates.Down or DependencyStates.Degraded) ? Degraded : Healthy;
    }

    public async ValueTask<NodeStatusReply> BuildAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var dependencies = probe.Current;
        var reply = new NodeStatusReply
        {
            Prefix = identity.Prefix,
            Role = identity.Role.ToString(),
            Version = Version,
            StartedAt = Timestamp.FromDateTimeOffset(StartedAt),
            UptimeSeconds = Math.Max(0, (now - StartedAt).TotalSeconds),
            Health = Health(dependencies),
            Figures = Figures(),
            Federation = Federation(dependencies),
            AsOf = Timestamp.FromDateTimeOffset(now),
        };
        reply.Dependencies.AddRange(dependencies.Select(d => new DependencyStatus
        {
            Name = d.Name,
            State = d.State,
            LatencyMs = Math.Round(d.LatencyMs, 3),
            Detail = d.Detail,
            Since = Timestamp.FromDateTimeOffset(d.Since),
        }));
        reply.Children.AddRange(await children.CurrentAsync().WaitAsync(cancellationToken));
        reply.TopPrefixes.AddRange(history.TopPrefixes.Select(p => new PrefixTraffic { Prefix = p.Prefix, Resolutions = (ulong)p.Resolutions }));
        reply.RecentAudit.AddRange(audit.Newest.Select(AuditRecords.From));
        return reply;
    }

    private StatusFigures Figures()
    {
        var totals = recorder.Read();
        var minute = history.Minute;
        var figures = new StatusFigures
        {
            ResolutionsPerSecond = minute.ResolutionsPerSecond,
            RegistrationsPerSecond = minute.RegistrationsPerSecond,
            ResolveP50Ms = Math.Round(minute.ResolveP50Ms, 3),
            ResolveP99Ms = Math.Round(minute.ResolveP99Ms, 3),
            ResolutionsTotal = (ulong)totals.Resolutions,
            RegistrationsTotal = (ulong)totals.Registrations,
        };
        foreach (var (code, count) in totals.ErrorsByCode)
        {
            figures.ErrorsByCode[code] = (ulong)count;
        }

        foreach (var (tier, (hits, misses)) in totals.Tiers)
        {
            if (hits + misses > 0)
            {
                figures.CacheHitRatio[tier] = hits / (double)(hits + misses);
            }
        }

        return figures;
    }

    private FederationStatus Federation(IReadOnlyList<DependencySnapshot> dependencies)
    {
        var federation = new FederationStatus
        {
            Parent = core.Options.Federation.HasParent ? core.Options.Federation.Parent.Prefix : string.Empty,
            ParentState = dependencies.FirstOrDefault(d => d.Name == "parent")?.State ?? DependencyStates.NotConfigured,
            ReferralCacheEntries = (ulong)Math.Max(0, core.Federation.Referrals.Count),
            TakenOverByParent = filing.Takeover?.TakenOver == true,
        };
        if (filing.Filer is { } filer)
        {
            federation.FilingBacklog = (ulong)Math.Max(0, filer.Backlog);
            federation.FilingOldestSeconds = filer.OldestUnsent is { } oldest ? Math.Max(0, (time.GetUtcNow() - oldest).TotalSeconds) : 0;
        }

        // Escrow's own instruments, when the node has them: a lag in seconds, or in entries for any other unit.
        foreach (var (name, unit, value) in escrow.Read().Where(r => r.Name.Contains("lag", StringComparison.Ordinal)))
        {
            if (unit == "s")
            {
                federation.EscrowLagSeconds = Math.Max(federation.EscrowLagSeconds, value);
            }
            else
            {
                federation.EscrowLagEntries = Math.Max(federation.EscrowLagEntries, (ulong)Math.Max(0, value));
            }
        }

        return federation;
    }
}
