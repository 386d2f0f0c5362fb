namespace IdResolution.Node.Hosting;

/// <summary>
/// Request budgets per client (configuration section <c>RateLimits</c>). A client is the authenticated
/// identity when there is one, else the client address (an IPv6 client by its /64 network).
/// </summary>
internal sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Off switch: with false, no request is limited.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Resolve and ResolveBatch, over gRPC and HTTP/JSON.</summary>
    public TokenBucketBudget Resolution { get; set; } = new() { PermitsPerSecond = 2000, Burst = 4000 };

    /// <summary>Every Registry method (creates, updates, deletes, batches and prefix listings).</summary>
    public TokenBucketBudget Writes { get; set; } = new() { PermitsPerSecond = 200, Burst = 400 };

    /// <summary>Every request of an admitted child node (authenticated as a node), whatever it calls: resolves, filings.</summary>
    public TokenBucketBudget Peers { get; set; } = new() { PermitsPerSecond = 20_000, Burst = 40_000 };
}

/// <summary>A token bucket: <see cref="Burst"/> requests at once, refilled at <see cref="PermitsPerSecond"/>.</summary>
internal sealed class TokenBucketBudget
{
    /// <summary>Sustained requests per second per client; fractions are allowed (0.5 is one every two seconds).</summary>
    public double PermitsPerSecond { get; set; }

    /// <summary>Requests a client may send at once after being idle (the bucket's size).</summary>
    public int Burst { get; set; }
}
