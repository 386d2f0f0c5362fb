using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using IdResolution.Cql;

namespace IdResolution.Storage.Cassandra;

/// <summary>Turns the store's settings into a CQL session and opens the store on it.</summary>
internal static class CassandraConnector
{
    public static async ValueTask<CassandraHandleStore> OpenAsync(CassandraStoreOptions options, CancellationToken cancellationToken)
    {
        var problems = CassandraStoreOptionsValidation.Problems(options);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("The Cassandra store settings are invalid: " + string.Join(" ", problems));
        }

        var cluster = ClusterOptions(options);
        if (options.CreateSchema)
        {
            // The keyspace may not exist yet, and connections are bound to it: create it on a session that is not.
            await using var bootstrap = new CqlCassandraSession(await CqlSession.ConnectAsync(cluster with { Keyspace = null }, cancellationToken), Consistency(options.Consistency), Consistency(options.SerialConsistency));
            foreach (var statement in CassandraSchema.Statements(options))
            {
                await bootstrap.ExecuteSchemaAsync(statement, cancellationToken);
            }
        }

        var session = new CqlCassandraSession(await CqlSession.ConnectAsync(cluster, cancellationToken), Consistency(options.Consistency), Consistency(options.SerialConsistency));
        try
        {
            await session.PrepareAllAsync(cancellationToken);
            return await CassandraHandleStore.OpenAsync(session, options, cancellationToken);
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>"LOCAL_QUORUM" → <see cref="CqlConsistency.LocalQuorum"/> (the settings use CQL's spelling).</summary>
    public static CqlConsistency Consistency(string name) =>
        Enum.Parse<CqlConsistency>(name.Replace("_", string.Empty, StringComparison.Ordinal), ignoreCase: true);

    private static CqlClusterOptions ClusterOptions(CassandraStoreOptions options) => new()
    {
        ContactPoints = options.ContactPointList(),
        Port = options.Port,
        LocalDataCenter = options.LocalDataCenter,
        Username = options.Username.Length > 0 ? options.Username : null,
        Password = options.Password,
        Keyspace = options.Keyspace,
        ConnectionsPerHost = options.ConnectionsPerHost,
        ConnectTimeout = TimeSpan.FromMilliseconds(options.ConnectTimeoutMilliseconds),
        Tls = options.Tls ? Tls(options) : null,
        Execution = new CqlExecutionOptions
        {
            Consistency = Consistency(options.Consistency),
            SerialConsistency = Consistency(options.SerialConsistency),
            RequestTimeout = TimeSpan.FromMilliseconds(options.RequestTimeoutMilliseconds),
        },
    };

    private static SslClientAuthenticationOptions Tls(CassandraStoreOptions options)
    {
        var tls = new SslClientAuthenticationOptions { TargetHost = options.ContactPointList()[0] };
        if (options.CaCertificatePath.Length > 0)
        {
            // The cluster's own CA, not the system roots: Cassandra clusters are usually signed privately.
            var authority = X509CertificateLoader.LoadCertificateFromFile(options.CaCertificatePath);
            tls.CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, CustomTrustStore = { authority } };
        }

        if (options.ClientCertificatePath.Length > 0)
        {
            var certificate = options.ClientKeyPath.Length > 0
                ? X509Certificate2.CreateFromPemFile(options.ClientCertificatePath, options.ClientKeyPath)
                : X509CertificateLoader.LoadPkcs12FromFile(options.ClientCertificatePath, null);
            tls.ClientCertificates = [certificate];
        }

        return tls;
    }
}
