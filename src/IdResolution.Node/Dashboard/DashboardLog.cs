namespace IdResolution.Node.Dashboard;

internal static partial class DashboardLog
{
    [LoggerMessage(EventId = 700, EventName = "DependencyImpaired", Level = LogLevel.Warning,
        Message = "Dependency {Name} is {State} (was {Previous}): {Detail}")]
    public static partial void DependencyImpaired(ILogger logger, string name, string state, string previous, string detail);

    [LoggerMessage(EventId = 701, EventName = "DependencyRecovered", Level = LogLevel.Information,
        Message = "Dependency {Name} is up again (was {Previous}): {Detail}")]
    public static partial void DependencyRecovered(ILogger logger, string name, string previous, string detail);

    [LoggerMessage(EventId = 702, EventName = "LiveStreamEnded", Level = LogLevel.Debug,
        Message = "Dashboard live stream for {Who} ended after {Seconds} s")]
    public static partial void LiveStreamEnded(ILogger logger, string who, long seconds);
}
