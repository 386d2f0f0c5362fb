using System.Diagnostics.Metrics;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using IdResolution.Cql.Cluster;
using IdResolution.Cql.Errors;
using IdResolution.Cql.Execution;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdResolution.Storage.Cassandra;

/// <summary>Turns the store's settings into a CQL session and opens the store on it.</summary>
internal static class CassandraConnector
{
    public static async ValueTask<CassandraHandleStore> OpenAsync(CassandraStoreOptions options, CassandraChangeLogOptions changeLog, TimeProvider time,
        ILoggerFactory? loggerFactory, IMeterFactory? meterFactory, CancellationToken cancellationToken)
    {
        var problems = CassandraStoreOptionsValidation.Problems(options);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("The Cassandra store settings are invalid: " + string.Join(" ", problems));
        }

        var logger = loggerFactory?.CreateLogger(CassandraLog.Category) ?? NullLogger.Instance;
        var cluster = ClusterOptions(options) with { LoggerFactory = loggerFactory, MeterFactory = meterFactory };
        if (options.CreateSchema)
        {
            // The keyspace may not exist yet, and connections are bound to it: create it on a session that is
            // not, and closed before the store's own opens, so it leaves no connection behind.
            await using var bootstrap = Session(await CqlSession.ConnectAsync(cluster with { Keyspace = null }, cancellationToken), options, logger);

            // A keyspace whose replication can never be met is refused before it is created.
            var replication = await bootstrap.ReplicationAsync(options.Keyspace, cancellationToken) ?? Planned(options);
            CheckReplication(options, replication, bootstrap.Nodes, logger);
            foreach (var statement in CassandraSchema.Statements(options))
            {
                await bootstrap.ExecuteSchemaAsync(statement, cancellationToken);
            }
        }

        var session = Session(await CqlSession.ConnectAsync(cluster, cancellationToken), options, logger);
        try
        {
            if (await session.ReplicationAsync(options.Keyspace, cancellationToken) is { } replication)
            {
                CheckReplication(options, replication, session.Nodes, logger);
                CassandraLog.StoreOpened(logger, options.Keyspace, ReplicationFit.Format(replication), string.Join(", ", session.Nodes));
            }

            await session.PrepareAllAsync(cancellationToken);
            return await CassandraHandleStore.OpenAsync(session, options, changeLog, time, cancellationToken);
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

    private static CqlCassandraSession Session(CqlSession session, CassandraStoreOptions options, ILogger logger) =>
        new(session, Consistency(options.Consistency), Consistency(options.SerialConsistency), TimeSpan.FromSeconds(options.SchemaAgreementSeconds), logger);

    /// <summary>The replication the keyspace will be created with, as system_schema.keyspaces would hold it.</summary>
    private static Dictionary<string, string> Planned(CassandraStoreOptions options)
    {
        var replication = options.EffectiveReplication().ToDictionary(pair => pair.Key, pair => pair.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);
        replication["class"] = "org.apache.cassandra.locator.NetworkTopologyStrategy";
        return replication;
    }

    private static void CheckReplication(CassandraStoreOptions options, IReadOnlyDictionary<string, string> replication, IReadOnlyList<CqlNodeState> nodes, ILogger logger)
    {
        var (refusal, warnings) = ReplicationFit.Check(options.Keyspace, replication, nodes, options.LocalDataCenter, Consistency(options.Consistency));
        if (refusal is not null)
        {
            throw new InvalidOperationException(refusal);
        }

        foreach (var warning in warnings)
        {
            CassandraLog.ReplicationAtRisk(logger, warning);
        }
    }

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
