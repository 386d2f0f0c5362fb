using IdResolution.Core.Registration;
using IdResolution.Core.Resolution;
using IdResolution.Core.Storage;
using IdResolution.Core.Telemetry;
using IdResolution.Core.Composition;
using IdResolution.Core.Caching;

namespace IdResolution.StoreContract;

/// <summary>The node's real read and write path over one store, wired as the host wires it.</summary>
public sealed class RegistryNode : IDisposable
{
    private readonly NodeMetrics _metrics = NodeMetrics.CreateStandalone();
    private readonly CoreServices _core;

    public RegistryNode(IHandleStore store)
    {
        _core = new CoreServices(store, new RecordingAuditLog(), new CoreOptions(), TimeProvider.System, _metrics);
    }

    public Registrar Registrar => _core.Registrar;

    public Resolver Resolver => _core.Resolver;

    public CoalescingRecordSource Source => _core.Source;

    public void Dispose()
    {
        _core.Dispose();
        _metrics.Dispose();
    }
}
