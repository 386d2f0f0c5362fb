using IdResolution.Core.Storage;
using IdResolution.StoreContract;

namespace IdResolution.Storage.Cassandra.Tests;

/// <summary>
/// The shared store contract, run against the Cassandra store's own logic over an in-memory stand-in
/// for the cluster (<see cref="FakeCassandra"/>). It proves the statements, their order and the
/// outcome mapping keep the contract; it does not prove Cassandra answers as the stand-in does. The run
/// against a real cluster comes with the CQL client.
/// </summary>
public sealed class CassandraStoreContractTests : HandleStoreContract
{
    private readonly FakeCassandra _cluster = new();

    protected override async ValueTask<IHandleStore> OpenStoreAsync() =>
        await CassandraHandleStore.OpenAsync(_cluster.OpenSession(), new CassandraStoreOptions { LocalDataCenter = "dc1", ListingBuckets = 8 }, TestContext.Current.CancellationToken);
}
