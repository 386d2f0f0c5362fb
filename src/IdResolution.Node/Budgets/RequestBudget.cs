namespace IdResolution.Node.Budgets;

/// <summary>The per-client budget a request spends (configuration section <c>RateLimits</c>).</summary>
internal enum RequestBudget
{
    /// <summary>Resolving handles, on every surface; also what a request spends when its endpoint declares nothing.</summary>
    Resolution,

    /// <summary>Registry writes and listings, administration, password sign-in.</summary>
    Writes,

    /// <summary>Every request of an admitted child node, whatever its endpoint declares (except unlimited ones).</summary>
    Peers,

    /// <summary>Operations endpoints (health, readiness, metrics, gRPC health and reflection): never limited.</summary>
    Unlimited,
}
