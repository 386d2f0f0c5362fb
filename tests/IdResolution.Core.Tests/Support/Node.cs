using IdResolution.Core.Caching;
using IdResolution.Core.Composition;
using IdResolution.Core.Escrow;
using IdResolution.Core.Federation;
using IdResolution.Core.Identifiers;
using IdResolution.Core.Records;
using IdResolution.Core.Registration;
using IdResolution.Core.Resolution;
using IdResolution.Core.Security;
using IdResolution.Core.Storage;
using IdResolution.Core.Telemetry;
using Microsoft.Extensions.Time.Testing;
using ResolutionResult = IdResolution.Core.Resolution.Resolution;

namespace IdResolution.Core.Tests.Support;

/// <summary>Core wired as the host wires it, over the in-memory store double and a fake clock.</summary>
internal sealed class Node : IDisposable
{
    /// <summary>2025-01-01T00:00:00Z, so timestamps in assertions are readable.</summary>
    public static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public Node(CacheOptions? cache = null, RecordLimits? limits = null, RegistryOptions? registry = null, HandleSyntaxOptions? syntax = null, ISharedRecordCache? shared = null,
        string nodePrefix = "88", FederationOptions? federation = null, NodeRole role = NodeRole.Secondary, INodeLink? link = null, StoreStallOptions? stall = null, IEscrowStore? escrow = null)
    {
        CacheOptions = cache ?? new CacheOptions();
        Cache = new InProcessRecordCache(CacheOptions, Time, Metrics);
        Core = new CoreServices(Store, Audit, new CoreOptions
        {
            Cache = CacheOptions,
            Records = limits ?? new RecordLimits(),
            Registry = registry ?? new RegistryOptions(),
            Identifiers = syntax ?? new HandleSyntaxOptions(),
            // The whole 88 tree, so tests can use short prefixes such as 88.1 beside the enterprise prefixes under 88.709.
            Security = new SecurityOptions { PasswordIterations = 1000, NodePrefix = nodePrefix },
            Federation = federation ?? new FederationOptions(),
            Role = role,
            StoreStall = stall ?? new StoreStallOptions(),
        }, Time, Metrics, Cache, shared, link, escrow);
    }

    public CoreServices Core { get; }

    public RecordingAuditLog Audit { get; } = new();

    public FakeTimeProvider Time { get; } = new(Start);

    public NodeMetrics Metrics { get; } = NodeMetrics.CreateStandalone();

    public InMemoryHandleStore Store { get; } = new();

    public CacheOptions CacheOptions { get; }

    public HandleGrammar Grammar => Core.Grammar;

    public RecordValidator Validator => Core.Validator;

    public InProcessRecordCache Cache { get; }

    public CoalescingRecordSource Source => Core.Source;

    public Resolver Resolver => Core.Resolver;

    public Registrar Registrar => Core.Registrar;

    public long NowSeconds => Time.GetUtcNow().ToUnixTimeSeconds();

    public ValueTask<Outcome<ResolutionResult>> ResolveAsync(string handle, ValueFilter? filter = null) =>
        Resolver.ResolveAsync(Caller.Anonymous("127.0.0.1"), handle, filter ?? ValueFilter.All, authoritative: false, TestContext.Current.CancellationToken);

    public ValueTask<Outcome<WriteReceipt>> CreateAsync(string handle, params HandleValue[] values) =>
        Registrar.CreateAsync(TestCallers.Administrator, new CreateRequest(handle, values), TestContext.Current.CancellationToken);

    public void Dispose()
    {
        Core.Dispose();
        Cache.Dispose();
        Metrics.Dispose();
    }
}
