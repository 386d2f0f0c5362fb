namespace IdResolution.Node.Dashboard;

/// <summary>The states a dependency is reported in (the contract's words: <c>DependencyStatus.state</c>).</summary>
internal static class DependencyStates
{
    public const string Up = "up";
    public const string Down = "down";
    public const string Degraded = "degraded";
    public const string NotConfigured = "not_configured";

    /// <summary>Before the first probe has finished.</summary>
    public const string Unknown = "unknown";
}

/// <summary>What one probe of a dependency found: its state and, for the operator, why.</summary>
internal readonly record struct DependencyReading(string State, string Detail)
{
    public static DependencyReading Up(string detail) => new(DependencyStates.Up, detail);

    public static DependencyReading Down(string detail) => new(DependencyStates.Down, detail);

    public static DependencyReading NotConfigured(string detail) => new(DependencyStates.NotConfigured, detail);
}

/// <summary>A dependency as last probed: the reading, the probe's round trip, and since when the state holds.</summary>
internal sealed record DependencySnapshot(string Name, string State, double LatencyMs, string Detail, DateTimeOffset Since, DateTimeOffset ProbedAt);
