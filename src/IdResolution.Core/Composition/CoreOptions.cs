using IdResolution.Core.Caching;
using IdResolution.Core.Federation;
using IdResolution.Core.Identifiers;
using IdResolution.Core.Records;
using IdResolution.Core.Registration;
using IdResolution.Core.Security;
using IdResolution.Core.Storage;

namespace IdResolution.Core.Composition;

/// <summary>The settings of the core, one object per configuration section.</summary>
public sealed record CoreOptions
{
    public const string IdentifiersSection = "Identifiers";
    public const string RecordsSection = "Records";
    public const string CacheSection = "Cache";
    public const string RegistrySection = "Registry";
    public const string SecuritySection = "Security";
    public const string StoreSection = "Store";

    public HandleSyntaxOptions Identifiers { get; init; } = new();

    public RecordLimits Records { get; init; } = new();

    public CacheOptions Cache { get; init; } = new();

    public RegistryOptions Registry { get; init; } = new();

    public SecurityOptions Security { get; init; } = new();

    /// <summary>Which level of the hierarchy this node plays (configuration <c>Node:Role</c>).</summary>
    public NodeRole Role { get; set; } = NodeRole.Secondary;

    public FederationOptions Federation { get; init; } = new();

    /// <summary>Stalls injected into the store's reads (a test and diagnostic setting, off by default).</summary>
    public StoreStallOptions StoreStall { get; init; } = new();
}
