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
public sealed class LiveCassandraChangeFeedTests : IAsyncDisposable
{
    private const string Prefix = "88.709.911";
    private readonly string _keyspace = LiveCassandra.NewKeyspace();
    private readonly List<CassandraHandleStore> _stores = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        if (_stores.Count > 0)
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

        long version = 0;
        await Task.WhenAll(writers.Select((store, w) => Task.Run(async () =>
        {
            for (var round = 0; round < 5; round++)
            {
                foreach (var key in keys)
                {
                    var current = await store.GetAsync(key, Ct);
                    var next = Interlocked.Increment(ref version);
                    var write = current is null ? StoreWrite.Create(key, Records.Url(key, next, $"https://w{w}.example/{round}"))
                        : (next + w) % 5 == 0 ? StoreWrite.Delete(key, current.Version)
                        : StoreWrite.Replace(key, current.Version, Records.Url(key, next, $"https://w{w}.example/{round}"));
                    await store.WriteAsync([write], Ct);
                }
            }
        })));
        foreach (var writer in writers)
        {
            await LiveCassandra.SettledAsync(writer);
        }

        var reader = await OpenAsync();
        var entries = new List<ChangeEntry>();
        var after = 0L;
        while (true)
        {
            var page = await reader.ReadChangesAsync(after, 17, Ct);
            Assert.False(page.Trimmed);
            entries.AddRange(page.Entries);
            if (page.Entries.Count == 0 && page.Next == after)
            {
                break;
            }

            after = page.Next;
        }

        var replica = new FeedReplica();
        replica.Apply(entries);
        foreach (var key in keys.Append(contested))
        {
            var stored = await reader.GetAsync(key, Ct);
            if (stored is null)
            {
                Assert.Null(replica.Get(key));
            }
            else
            {
                Records.AssertSame(stored, replica.Get(key));
            }
        }

        Assert.DoesNotContain(entries, e => e.Key == contested && e.Version == 1_000_002);
        Assert.Contains((contested, 1_000_002L), await LoggedAsync());
    }

    private async Task<CassandraHandleStore> OpenAsync()
    {
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
