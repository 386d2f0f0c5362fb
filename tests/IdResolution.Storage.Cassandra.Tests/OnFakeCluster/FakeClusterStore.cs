using IdResolution.Cql.Tests.Server;

namespace IdResolution.Storage.Cassandra.Tests.OnFakeCluster;

/// <summary>Store settings that reach a fake cluster through its first node.</summary>
internal static class FakeClusterStore
{
    public static CassandraStoreOptions Options(FakeCluster cluster, int replicationFactor = 3, int schemaAgreementSeconds = 20, bool createSchema = true) => new()
    {
        ContactPoints = cluster[0].EndPoint.ToString(),
        Port = cluster[0].EndPoint.Port,
        LocalDataCenter = cluster.DataCenter,
        Keyspace = "idres_fake",
        CreateSchema = createSchema,
        ReplicationFactor = replicationFactor,
        ListingBuckets = 8,
        SchemaAgreementSeconds = schemaAgreementSeconds,
        ConnectTimeoutMilliseconds = 2000,
        RequestTimeoutMilliseconds = 5000,
    };

    public static ValueTask<CassandraHandleStore> OpenAsync(FakeCluster cluster, CassandraStoreOptions options, RecordingLoggerFactory? logs = null) =>
        CassandraHandleStore.ConnectAsync(options, logs, null, TestContext.Current.CancellationToken);

    /// <summary>Until the client has noticed what the fake cluster did: its pools to these nodes are down.</summary>
    public static Task ClientSeesDownAsync(CassandraHandleStore store, params FakeNode[] nodes) =>
        Eventually.UntilAsync(
            async () =>
            {
                try
                {
                    var readiness = await store.CheckReadinessAsync(TestContext.Current.CancellationToken);
                    return nodes.All(node => readiness.Details["nodes"].ToString()!.Contains($"{node.EndPoint} down", StringComparison.Ordinal));
                }
                catch (ObjectDisposedException)
                {
                    return false;
                }
            },
            "the client sees " + string.Join(", ", nodes.Select(node => node.EndPoint)) + " down");
}
