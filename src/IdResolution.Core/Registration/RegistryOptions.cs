namespace IdResolution.Core.Registration;

/// <summary>Request bounds of the registry (configuration section <c>Registry</c>).</summary>
public sealed class RegistryOptions
{
    /// <summary>Most items in one batch write; the ecosystem's secondary-node API allows 2,000.</summary>
    public int MaxWriteBatch { get; set; } = 2000;

    public int MaxResolveBatch { get; set; } = 1000;

    public int DefaultPageSize { get; set; } = 100;

    public int MaxPageSize { get; set; } = 1000;

    /// <summary>How often a write re-reads and retries after losing a race with another writer of the same handle.</summary>
    public int MaxConflictRetries { get; set; } = 64;
}
