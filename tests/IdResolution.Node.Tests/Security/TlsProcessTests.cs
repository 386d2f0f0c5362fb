using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Health.V1;
using IdResolution.Contracts.V1;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Node.Tests.Security;

/// <summary>The node as operators run it, TLS configured on its command line with a PEM certificate and key.</summary>
public sealed class TlsProcessTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly TempDirectory _files = new();
    private readonly X509Certificate2 _certificate = TestCertificates.Server();
    private NodeProcess? _node;

    private NodeProcess Node => _node ?? throw new InvalidOperationException("not started");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var (certificate, key) = TestCertificates.WritePem(_certificate, _files.Path);
        _node = await NodeProcess.StartAsync(_data.Path, TimeSpan.FromSeconds(60), _certificate,
            $"--Node:Tls:CertificatePath={certificate}", $"--Node:Tls:KeyPath={key}", "--Node:Tls:ClientCertificates=Allow");
    }

    public async ValueTask DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }

        _data.Dispose();
        _files.Dispose();
        _certificate.Dispose();
    }

    [Fact]
    public async Task Both_ports_serve_tls_with_the_configured_certificate()
    {
        // The clients trust exactly the configured certificate: an answer proves the node presented it.
        Assert.True((await Node.Http.GetAsync("/readyz", Token)).IsSuccessStatusCode);
        var health = await new Health.HealthClient(Node.Channel).CheckAsync(new HealthCheckRequest(), cancellationToken: Token);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);

        var created = await new Registry.RegistryClient(Node.Channel).CreateHandleAsync(
            Values.Create("88.709.911/tls-1", Values.Url(1, "https://example.test/tls")), cancellationToken: Token);
        Assert.True(created.Created);

        Assert.Contains($"https://127.0.0.1:{Node.GrpcPort}", Node.Output, StringComparison.Ordinal);
        Assert.Contains(_certificate.GetCertHashString(HashAlgorithmName.SHA256), Node.Output, StringComparison.Ordinal);
    }
}
