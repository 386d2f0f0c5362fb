using Google.Protobuf.WellKnownTypes;
using IdResolution.Core.Monitoring;
using Contract = IdResolution.Contracts.V1;

namespace IdResolution.Federation.Mapping;

/// <summary>A child's heartbeat figures and their contract message, both ways, so the sending and the receiving node cannot drift.</summary>
public static class OperationsContract
{
    // Bounds on what a child may send: a handful of error codes and cache tiers, short health words. A child that sends
    // more is not sending figures, and the parent keeps every child's last figures in memory.
    private const int MaxEntries = 64;
    private const int MaxWordLength = 32;

    public static Contract.NodeFigures ToContract(HeartbeatFigures figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        var contract = new Contract.NodeFigures
        {
            Resolutions = figures.Resolutions,
            Registrations = figures.Registrations,
            Errors = figures.Errors,
            UptimeSeconds = (long)figures.Uptime.TotalSeconds,
            Version = figures.Version,
            FeedLastPosition = figures.FeedLastPosition,
            FilingBacklog = figures.FilingBacklog,
            StartedAt = Timestamp.FromDateTimeOffset(figures.StartedAt),
            ResolveP50Ms = figures.ResolveP50Ms,
            ResolveP99Ms = figures.ResolveP99Ms,
            StoreHealth = figures.StoreHealth,
            RedisHealth = figures.RedisHealth,
        };
        foreach (var (code, count) in figures.ErrorsByCode)
        {
            contract.ErrorsByCode[code] = count;
        }

        foreach (var (tier, ratio) in figures.CacheHitRatio)
        {
            contract.CacheHitRatio[tier] = ratio;
        }
        if (figures.EscrowAppliedPosition is { } applied)
        {
            contract.EscrowAppliedPosition = applied;
        }

        return contract;
    }

    /// <summary>The figures another node sent, or null when they are not figures (missing start, negative counts, ratios outside 0..1, too many entries).</summary>
    public static HeartbeatFigures? ToCore(Contract.NodeFigures? figures)
    {
        if (figures?.StartedAt is null || figures.Resolutions < 0 || figures.Registrations < 0 || figures.Errors < 0 || figures.UptimeSeconds < 0
            || figures.FilingBacklog < 0 || figures.FeedLastPosition < 0 || figures.Version.Length > 100
            || !IsLatency(figures.ResolveP50Ms) || !IsLatency(figures.ResolveP99Ms)
            || figures.StoreHealth.Length > MaxWordLength || figures.RedisHealth.Length > MaxWordLength
            || (figures.HasEscrowAppliedPosition && figures.EscrowAppliedPosition < 0)
            || figures.ErrorsByCode.Count > MaxEntries || figures.ErrorsByCode.Values.Any(count => count < 0)
            || figures.CacheHitRatio.Count > MaxEntries
            || figures.CacheHitRatio.Any(tier => tier.Key.Length > MaxWordLength || !(tier.Value is >= 0 and <= 1)))
        {
            return null;
        }

        DateTimeOffset started;
        try
        {
            started = figures.StartedAt.ToDateTimeOffset();
        }
        catch (InvalidOperationException)
        {
            return null;
        }

        return new HeartbeatFigures(figures.Resolutions, figures.Registrations, figures.Errors, TimeSpan.FromSeconds(Math.Min(figures.UptimeSeconds, 100L * 365 * 86400)),
            figures.Version, figures.FeedLastPosition, figures.FilingBacklog, started)
        {
            ErrorsByCode = figures.ErrorsByCode.ToDictionary(e => e.Key, e => e.Value),
            ResolveP50Ms = figures.ResolveP50Ms,
            ResolveP99Ms = figures.ResolveP99Ms,
            CacheHitRatio = figures.CacheHitRatio.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal),
            StoreHealth = figures.StoreHealth,
            RedisHealth = figures.RedisHealth,
            EscrowAppliedPosition = figures.HasEscrowAppliedPosition ? figures.EscrowAppliedPosition : null,
        };
    }

    private static bool IsLatency(double milliseconds) => double.IsFinite(milliseconds) && milliseconds >= 0;
}
