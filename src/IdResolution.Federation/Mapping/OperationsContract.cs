using Google.Protobuf.WellKnownTypes;
using IdResolution.Core.Monitoring;
using Contract = IdResolution.Contracts.V1;

namespace IdResolution.Federation.Mapping;

/// <summary>A child's heartbeat figures and their contract message, both ways, so the sending and the receiving node cannot drift.</summary>
public static class OperationsContract
{
    public static Contract.NodeFigures ToContract(HeartbeatFigures figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        return new Contract.NodeFigures
        {
            Resolutions = figures.Resolutions,
            Registrations = figures.Registrations,
            Errors = figures.Errors,
            UptimeSeconds = (long)figures.Uptime.TotalSeconds,
            Version = figures.Version,
            FeedLastPosition = figures.FeedLastPosition,
            FilingBacklog = figures.FilingBacklog,
            StartedAt = Timestamp.FromDateTimeOffset(figures.StartedAt),
        };
    }

    /// <summary>The figures another node sent, or null when they are not figures (missing start, negative counts).</summary>
    public static HeartbeatFigures? ToCore(Contract.NodeFigures? figures)
    {
        if (figures?.StartedAt is null || figures.Resolutions < 0 || figures.Registrations < 0 || figures.Errors < 0 || figures.UptimeSeconds < 0
            || figures.FilingBacklog < 0 || figures.FeedLastPosition < 0 || figures.Version.Length > 100)
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
            figures.Version, figures.FeedLastPosition, figures.FilingBacklog, started);
    }
}
