using IdResolution.Core.Storage;
using IdResolution.StoreContract;

namespace IdResolution.Storage.Cassandra.Tests.Live;

/// <summary>
/// The shared store contract against a real Cassandra, in a keyspace of each test's own (skipped without
/// one). The store creates it (CreateSchema), which waits for schema agreement after every statement.
/// </summary>
public sealed class LiveCassandraStoreContractTests : HandleStoreContract
{
    private readonly string _keyspace = LiveCassandra.NewKeyspace();
    private bool _created;

    protected override async ValueTask<IHandleStore> OpenStoreAsync()
    {
        var (host, port, user, password, dc) = LiveCassandra.Require();
        var options = new CassandraStoreOptions
        {
            ContactPoints = host,
            Port = port,
            Username = user,
            Password = password,
            LocalDataCenter = dc,
            Keyspace = _keyspace,
            CreateSchema = true,
            ReplicationFactor = await LiveCassandra.ReplicationFactorAsync(),
            ListingBuckets = 8,
        };
        _created = true;
        return await CassandraHandleStore.ConnectAsync(options, TestContext.Current.CancellationToken);
    }

    protected override async ValueTask DeleteStoreAsync()
    {
        if (_created)
        {
            await LiveCassandra.DropKeyspaceAsync(_keyspace);
        }
    }
}
