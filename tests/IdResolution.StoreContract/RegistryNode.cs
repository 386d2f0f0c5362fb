using IdResolution.Core.Caching;
using IdResolution.Core.Identifiers;
using IdResolution.Core.Records;
using IdResolution.Core.Registration;
using IdResolution.Core.Resolution;
using IdResolution.Core.Storage;
using IdResolution.Core.Telemetry;

namespace IdResolution.StoreContract;

/// <summary>The node's real read and write path wired by hand over one store, as the host wires it.</summary>
public sealed class RegistryNode : IDisposable
{
    private readonly NodeMetrics _metrics = NodeMetrics.CreateStandalone();
    private readonly InProcessRecordCache _cache;

    public RegistryNode(IHandleStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var time = TimeProvider.System;
        var grammar = new HandleGrammar(new HandleSyntaxOptions());
        var cacheOptions = new CacheOptions();
        _cache = new InProcessRecordCache(cacheOptions, time, _metrics);
        Source = new CoalescingRecordSource(_cache, store, new CacheTtlPolicy(cacheOptions, time), _metrics);
        Resolver = new Resolver(grammar, Source, _metrics);
        Registrar = new Registrar(grammar, new RecordValidator(new RecordLimits(), grammar), store, Source,
            new VersionClock(time), time, _metrics, new RegistryOptions());
    }

    public Registrar Registrar { get; }

    public Resolver Resolver { get; }

    public CoalescingRecordSource Source { get; }

    public void Dispose()
    {
        _cache.Dispose();
        _metrics.Dispose();
    }
}
