using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using IdResolution.Contracts.V1;

namespace IdResolution.Cli.Connection;

/// <summary>
/// One gRPC channel to the node for the whole command, the typed clients on it, and the call options that
/// carry the profile's token and the per-call deadline.
/// </summary>
internal sealed class NodeConnection : IDisposable
{
    private readonly GrpcChannel _channel;

    public NodeConnection(ConnectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        _channel = GrpcChannel.ForAddress(settings.Grpc, new GrpcChannelOptions
        {
            HttpHandler = CreateHandler(settings),
            MaxReceiveMessageSize = 64 * 1024 * 1024,
            DisposeHttpClient = true,
        });
        Registry = new Registry.RegistryClient(_channel);
        Resolution = new Resolution.ResolutionClient(_channel);
        Administration = new Administration.AdministrationClient(_channel);
        Operations = new OperationsAdministration.OperationsAdministrationClient(_channel);
    }

    public ConnectionSettings Settings { get; }

    public Registry.RegistryClient Registry { get; }

    public Resolution.ResolutionClient Resolution { get; }

    public Administration.AdministrationClient Administration { get; }

    /// <summary>The operator duties: backups, declared maintenance, monthly reports, child statuses.</summary>
    public OperationsAdministration.OperationsAdministrationClient Operations { get; }

    /// <summary>A handler that trusts the system's roots, or exactly the configured certificate file's.</summary>
    public static SocketsHttpHandler CreateHandler(ConnectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
        };
        if (settings.CaCertificate is { } caFile)
        {
            if (!File.Exists(caFile))
            {
                throw CliFailure.Usage($"the CA certificate file {caFile} does not exist");
            }

            var trusted = new X509Certificate2Collection();
            trusted.ImportFromPemFile(caFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                certificate is not null && TrustedBy(trusted, new X509Certificate2(certificate), errors);
        }

        return handler;
    }

    public CallOptions Call(CancellationToken cancellationToken) => Call(Settings.Timeout, cancellationToken);

    public CallOptions Call(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var headers = new Metadata();
        if (!string.IsNullOrEmpty(Settings.Token))
        {
            headers.Add("authorization", "Bearer " + Settings.Token);
        }

        return new CallOptions(headers, DateTime.UtcNow.Add(timeout), cancellationToken);
    }

    public void Dispose() => _channel.Dispose();

    private static bool TrustedBy(X509Certificate2Collection trusted, X509Certificate2 presented, SslPolicyErrors errors)
    {
        // The presented certificate itself may be the pinned one (a self-signed node); otherwise it must chain to it.
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        if (trusted.Any(certificate => certificate.RawDataMemory.Span.SequenceEqual(presented.RawDataMemory.Span)))
        {
            return true;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(presented);
    }
}
