using IdResolution.Core.Caching;
using IdResolution.Core.Identifiers;
using IdResolution.Core.Records;
using IdResolution.Core.Registration;
using IdResolution.Core.Resolution;
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

    public Node(CacheOptions? cache = null, RecordLimits? limits = null, RegistryOptions? registry = null, HandleSyntaxOptions? syntax = null)
    {
        CacheOptions = cache ?? new CacheOptions();
        Grammar = new HandleGrammar(syntax ?? new HandleSyntaxOptions());
        Validator = new RecordValidator(limits ?? new RecordLimits(), Grammar);
        Cache = new InProcessRecordCache(CacheOptions, Time, Metrics);
        Source = new CoalescingRecordSource(Cache, Store, new CacheTtlPolicy(CacheOptions, Time), Metrics);
        Resolver = new Resolver(Grammar, Source, Metrics);
        Registrar = new Registrar(Grammar, Validator, Store, Source, new VersionClock(Time), Time, Metrics, registry ?? new RegistryOptions());
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public NodeMetrics Metrics { get; } = NodeMetrics.CreateStandalone();

    public InMemoryHandleStore Store { get; } = new();

    public CacheOptions CacheOptions { get; }

    public HandleGrammar Grammar { get; }

    public RecordValidator Validator { get; }

    public InProcessRecordCache Cache { get; }

    public CoalescingRecordSource Source { get; }

    public Resolver Resolver { get; }

    public Registrar Registrar { get; }

    public long NowSeconds => Time.GetUtcNow().ToUnixTimeSeconds();

    public ValueTask<Outcome<ResolutionResult>> ResolveAsync(string handle, ValueFilter? filter = null) =>
        Resolver.ResolveAsync(handle, filter ?? ValueFilter.All, authoritative: false, TestContext.Current.CancellationToken);

    public ValueTask<Outcome<WriteReceipt>> CreateAsync(string handle, params HandleValue[] values) =>
        Registrar.CreateAsync(new CreateRequest(handle, values), TestContext.Current.CancellationToken);

    public void Dispose()
    {
        Cache.Dispose();
        Metrics.Dispose();
    }
}
