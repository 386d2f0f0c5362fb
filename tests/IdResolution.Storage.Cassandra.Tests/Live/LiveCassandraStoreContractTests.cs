using IdResolution.Core.Storage;
using IdResolution.StoreContract;

namespace IdResolution.Storage.Cassandra.Tests.Live;

/// <summary>
/// The shared store contract against a real Cassandra, in a keyspace of each test's own (skipped without
/// one). The store creates it (CreateSchema), which waits for schema agreement after every statement. The
/// change log settles in a second here (<see cref="LiveCassandra.ChangeLog"/>); tests wait for it by polling.
/// </summary>
[Collection(LiveCassandraCollection.Name)]
public sealed class LiveCassandraStoreContractTests : HandleStoreContract
{
    private readonly string _keyspace = LiveCassandra.NewKeyspace();
    private bool _created;

    protected override bool ChangeLogKeepsEveryChange => false;

    protected override bool DumpIsSnapshot => false;

    protected override async ValueTask<IHandleStore> OpenStoreAsync()
    {
        LiveCassandra.Require();
        _created = true;
        return await LiveCassandra.OpenStoreAsync(_keyspace);
    }

    protected override async ValueTask SettleChangesAsync(IHandleStore store) =>
        await LiveCassandra.SettledAsync((CassandraHandleStore)store);

    protected override async ValueTask DeleteStoreAsync()
    {
        if (_created)
        {
            await LiveCassandra.DropKeyspaceAsync(_keyspace);
        }
    }
}
