using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IdResolution.Federation.Tests.Infrastructure;

/// <summary>Tests against one scripted remote node, with this node's own key.</summary>
public abstract class OneRemoteNode : IAsyncLifetime
{
    protected ECDsa Key { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    protected RemoteServer Server { get; private set; } = null!;

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>The remote node's TLS certificate; none serves h2c.</summary>
    protected virtual X509Certificate2? ServerCertificate => null;

    public virtual async ValueTask InitializeAsync() => Server = await RemoteServer.StartAsync(ServerCertificate);

    public virtual async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Key.Dispose();
        GC.SuppressFinalize(this);
    }
}
