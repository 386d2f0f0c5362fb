using IdResolution.Core.Storage;
using IdResolution.Cql.Cluster;
using IdResolution.Cql.Execution;
using IdResolution.StoreContract;

namespace IdResolution.Storage.Cassandra.Tests.Live;

/// <summary>
/// The change log on a real Cassandra (skipped without one), one node or three: two instances of a node
/// race on the same handles with real lightweight transactions, and a reader gets every handle's final
/// state and never a write that lost.
/// </summary>
[Collection(LiveCassandraCollection.Name)]
public sealed class LiveCassandraChangeFeedTests : IAsyncDisposable
{
    private const string Prefix = "88.709.911";
    private readonly string _keyspace = LiveCassandra.NewKeyspace();
    private readonly List<CassandraHandleStore> _stores = [];

    // Set before the first open, which creates the keyspace and may fail after doing so.
    private bool _opening;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        if (_opening)
        {
            await LiveCassandra.DropKeyspaceAsync(_keyspace);
        }
    }

    [Fact]
    public async Task Two_instances_racing_on_the_same_handles_deliver_each_final_state_and_no_losing_write()
    {
        LiveCassandra.Require();
        var writers = new[] { await OpenAsync(), await OpenAsync() };
        var keys = Enumerable.Range(0, 10).Select(i => $"{Prefix}/LIVE-{i:D2}").ToArray();

        // A deterministic loser first: its row is written, its transaction refused.
        const string contested = Prefix + "/CONTESTED";
        Assert.Equal(StoreWriteResult.Applied, Assert.Single(await writers[0].WriteAsync([StoreWrite.Create(contested, Records.Url(contested, 1_000_001))], Ct)));
        Assert.Equal(StoreWriteStatus.Conflict, Assert.Single(await writers[1].WriteAsync([StoreWrite.Create(contested, Records.Url(contested, 1_000_002))], Ct)).Status);

        await RacingWriters.RunAsync(writers, keys, rounds: 5, Ct);
        foreach (var writer in writers)
        {
            await LiveCassandra.SettledAsync(writer);
        }

        var reader = await OpenAsync();
        var entries = await FeedReplica.ReadAllAsync(reader, 17, Ct);
        var replica = new FeedReplica();
        replica.Apply(entries);

        await replica.AssertHoldsWhatAsync(reader, keys.Append(contested), Ct);
        Assert.DoesNotContain(entries, e => e.Key == contested && e.Version == 1_000_002);
        Assert.Contains((contested, 1_000_002L), await LoggedAsync());
    }

    private async Task<CassandraHandleStore> OpenAsync()
    {
        _opening = true;
        var store = await LiveCassandra.OpenStoreAsync(_keyspace);
        _stores.Add(store);
        return store;
    }

    /// <summary>Every (key, version) the log holds, delivered or not, read straight from the table.</summary>
    private async Task<List<(string Key, long Version)>> LoggedAsync()
    {
        await using var session = await CqlSession.ConnectAsync(LiveCassandra.Cluster(_keyspace), Ct);
        var rows = new List<(string, long)>();
        await foreach (var row in session.ExecuteAllPagesAsync(new CqlStatement("SELECT key, version FROM " + CassandraSchema.ChangeLogTable) { PageSize = 500 }, Ct))
        {
            rows.Add((row.Get<string>("key"), row.Get<long>("version")));
        }

        return rows;
    }
}
