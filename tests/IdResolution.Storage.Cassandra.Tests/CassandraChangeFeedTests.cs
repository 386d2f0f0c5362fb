using IdResolution.Core.Records;
using IdResolution.Core.Storage;
using IdResolution.StoreContract;
using Microsoft.Extensions.Time.Testing;

namespace IdResolution.Storage.Cassandra.Tests;

/// <summary>
/// The Cassandra change log where the contract cannot reach: log rows written before their transaction by
/// two instances of a node over one cluster, writes held between the two, transactions that fail and leave
/// their row behind, the settle window, duplicates, TTL retention and rows that share a position.
/// </summary>
public sealed class CassandraChangeFeedTests : IAsyncDisposable
{
    private const string Prefix = "88.709.911";
    private static readonly CassandraChangeLogOptions ChangeLog = new();
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(ChangeLog.SettleMilliseconds);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 10, 20, 0, TimeSpan.Zero));
    private readonly FakeCassandra _cluster;
    private readonly List<CassandraHandleStore> _stores = [];

    public CassandraChangeFeedTests() => _cluster = new FakeCassandra(_time);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_write_whose_transaction_failed_leaves_an_orphan_log_row_that_is_never_delivered()
    {
        var (a, b) = (await OpenAsync(), await OpenAsync());
        const string key = Prefix + "/RACE";
        var held = HoldWrite(key, version: 1);

        // Instance a logs its create and is held before its transaction; instance b creates the handle meanwhile.
        var losing = a.WriteAsync([StoreWrite.Create(key, Records.Url(key, 1, "https://a.example/"))], Ct).AsTask();
        await held.Entered;
        Assert.Equal(StoreWriteResult.Applied, Assert.Single(await b.WriteAsync([StoreWrite.Create(key, Records.Url(key, 2, "https://b.example/"))], Ct)));
        held.Release();
        Assert.Equal(StoreWriteStatus.Conflict, Assert.Single(await losing).Status);

        // A transaction whose answer was lost every time it was sent and which never landed leaves its row too.
        _cluster.DropWrites = int.MaxValue;
        await Assert.ThrowsAsync<StoreUnavailableException>(async () => await a.WriteAsync([StoreWrite.Replace(key, 2, Records.Url(key, 3, "https://dropped.example/"))], Ct));
        _cluster.DropWrites = 0;

        Assert.Equal([1L, 2, 3], _cluster.ChangeRows.Select(r => r.Version).Order());
        _time.Advance(Settle + TimeSpan.FromMilliseconds(1));
        foreach (var reader in new[] { a, b })
        {
            var entries = await FeedReplica.ReadAllAsync(reader, 3, Ct);
            var entry = Assert.Single(entries);
            Assert.Equal((key, 2L), (entry.Key, entry.Version));
            Records.AssertSame(Records.Url(key, 2, "https://b.example/"), entry.Record);
        }
    }

    [Fact]
    public async Task Two_writers_held_at_random_between_log_row_and_transaction_deliver_every_handle_final_state_to_a_reader_keeping_up()
    {
        var writers = new[] { await OpenAsync(), await OpenAsync() };
        var reader = await OpenAsync();
        var keys = Enumerable.Range(0, 16).Select(i => $"{Prefix}/SHARED-{i:D2}").ToArray();
        _cluster.BeforeConditional = async _ =>
        {
            for (var i = Random.Shared.Next(0, 16); i > 0; i--)
            {
                await Task.Yield();
            }
        };
        var writing = RacingWriters.RunAsync(writers, keys, rounds: 12, Ct);

        // The reader keeps up while the clock runs: rows settle while writes they announce may still be held.
        var replica = new FeedReplica();
        var cursor = 0L;
        while (!writing.IsCompleted)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            cursor = await ApplyAsync(reader, replica, cursor, limit: 25);
        }

        var conflicts = await writing;
        _time.Advance(Settle + TimeSpan.FromMilliseconds(1));
        replica.Apply(await FeedReplica.ReadAllAsync(reader, 25, Ct, cursor));

        await replica.AssertHoldsWhatAsync(reader, keys, Ct);
        Assert.True(_cluster.ChangeRows.Count >= 2 * 12 * keys.Length - conflicts, $"{_cluster.ChangeRows.Count} rows, {conflicts} conflicts");
    }

    [Fact]
    public async Task A_row_younger_than_the_settle_window_is_not_delivered()
    {
        var store = await OpenAsync();
        const string key = Prefix + "/YOUNG";
        await store.WriteAsync([StoreWrite.Create(key, Records.Url(key, 1))], Ct);

        var fresh = await store.ReadChangesAsync(0, 10, Ct);
        _time.Advance(Settle - TimeSpan.FromMilliseconds(1));
        var almost = await store.ReadChangesAsync(fresh.Next, 10, Ct);
        _time.Advance(TimeSpan.FromMilliseconds(2));
        var settled = await store.ReadChangesAsync(almost.Next, 10, Ct);

        Assert.Empty(fresh.Entries);
        Assert.Empty(almost.Entries);
        Assert.Equal(fresh.Next, almost.Next);
        Assert.Equal(key, Assert.Single(settled.Entries).Key);
        Assert.Equal(settled.Entries[0].Position, await store.LastChangePositionAsync(Ct));
    }

    [Fact]
    public async Task A_write_still_held_when_its_row_settles_is_logged_again_once_it_commits_and_then_delivered()
    {
        var (writer, reader) = (await OpenAsync(), await OpenAsync());
        const string key = Prefix + "/SLOW";
        var held = HoldWrite(key, version: 1);
        var slow = writer.WriteAsync([StoreWrite.Create(key, Records.Url(key, 1))], Ct).AsTask();
        await held.Entered;

        // The row has settled but its transaction has not run: the reader passes it by.
        _time.Advance(Settle + TimeSpan.FromMilliseconds(1));
        var passed = await reader.ReadChangesAsync(0, 10, Ct);
        Assert.Empty(passed.Entries);
        Assert.Equal(_cluster.ChangeRows[0].Position, passed.Next);

        held.Release();
        Assert.Equal(StoreWriteResult.Applied, Assert.Single(await slow));
        _time.Advance(Settle + TimeSpan.FromMilliseconds(1));
        var later = await reader.ReadChangesAsync(passed.Next, 10, Ct);

        Assert.Equal(2, _cluster.ChangeRows.Count);
        Assert.Equal((key, 1L), (Assert.Single(later.Entries).Key, later.Entries[0].Version));
    }

    [Fact]
    public async Task A_change_delivered_twice_is_harmless_to_a_consumer_applying_by_version()
    {
        var (a, b) = (await OpenAsync(), await OpenAsync());
        const string key = Prefix + "/TWICE";
        await a.WriteAsync([StoreWrite.Create(key, Records.Url(key, 1))], Ct);
        _time.Advance(Settle + TimeSpan.FromMilliseconds(1));
        var replica = new FeedReplica();
        var cursor = await ApplyAsync(a, replica, 0, limit: 10);

        // Both instances delete the record; one transaction fails, yet both rows say what is now true.
        var held = HoldWrite(key, version: null);
        var first = a.WriteAsync([StoreWrite.Delete(key, 1)], Ct).AsTask();
        await held.Entered;
        var second = b.WriteAsync([StoreWrite.Delete(key, 1)], Ct).AsTask();
        await UntilRowsAsync(3);
        held.Release();
        Assert.Equal([StoreWriteStatus.Applied, StoreWriteStatus.Conflict], (await Task.WhenAll(first, second)).Select(r => Assert.Single(r).Status).Order());
        _time.Advance(Settle + TimeSpan.FromMilliseconds(1));

        var page = await a.ReadChangesAsync(cursor, 10, Ct);
        replica.Apply(page.Entries);
        replica.Apply(page.Entries);
        replica.Apply((await a.ReadChangesAsync(0, 10, Ct)).Entries);

        Assert.Equal([(key, 1L, true), (key, 1L, true)], page.Entries.Select(e => (e.Key, e.Version, e.IsDeletion)));
        Assert.Null(replica.Get(key));
        Assert.Empty(replica.Keys);
    }

    [Fact]
    public async Task Rows_expire_after_the_retention_and_a_reader_behind_them_is_told_to_start_over()
    {
        var options = new CassandraChangeLogOptions { RetentionHours = 1 };
        var store = await OpenAsync(options);
        const string old = Prefix + "/OLD";
        const string recent = Prefix + "/RECENT";
        await store.WriteAsync([StoreWrite.Create(old, Records.Url(old, 1))], Ct);
        _time.Advance(Settle + TimeSpan.FromMilliseconds(1));
        var first = Assert.Single((await store.ReadChangesAsync(0, 10, Ct)).Entries);

        _time.Advance(TimeSpan.FromHours(2));
        await store.WriteAsync([StoreWrite.Create(recent, Records.Url(recent, 2))], Ct);
        _time.Advance(Settle + TimeSpan.FromMilliseconds(1));

        Assert.True((await store.ReadChangesAsync(first.Position, 10, Ct)).Trimmed);
        Assert.True((await store.ReadChangesAsync(0, 10, Ct)).Trimmed);
        Assert.True(store.OldestChangePosition > first.Position);
        var kept = await store.ReadChangesAsync(store.OldestChangePosition - 1, 10, Ct);
        Assert.False(kept.Trimmed);
        Assert.Equal(recent, Assert.Single(kept.Entries).Key);
    }

    [Fact]
    public async Task A_reader_in_a_quiet_log_moves_on_by_whole_hours_so_retention_never_strands_it()
    {
        var store = await OpenAsync(new CassandraChangeLogOptions { RetentionHours = 2 });
        const string key = Prefix + "/QUIET";
        await store.WriteAsync([StoreWrite.Create(key, Records.Url(key, 1))], Ct);
        _time.Advance(Settle + TimeSpan.FromMilliseconds(1));
        var cursor = Assert.Single((await store.ReadChangesAsync(0, 10, Ct)).Entries).Position;

        // A reader polling every 30 minutes through five quiet hours is never told it fell behind.
        for (var poll = 0; poll < 10; poll++)
        {
            _time.Advance(TimeSpan.FromMinutes(30));
            var page = await store.ReadChangesAsync(cursor, 10, Ct);
            Assert.False(page.Trimmed);
            Assert.Empty(page.Entries);
            Assert.True(page.Next >= cursor);
            cursor = page.Next;
        }

        Assert.True(ChangePositions.TimeOf(cursor) > _time.GetUtcNow() - TimeSpan.FromHours(1), $"the cursor stayed at {ChangePositions.TimeOf(cursor):O}");
        await store.WriteAsync([StoreWrite.Replace(key, 1, Records.Url(key, 2))], Ct);
        _time.Advance(Settle + TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, Assert.Single((await store.ReadChangesAsync(cursor, 10, Ct)).Entries).Version);
    }

    [Fact]
    public async Task Rows_of_two_writers_that_drew_the_same_position_are_both_delivered_and_never_split_between_pages()
    {
        var store = await OpenAsync();
        var (one, two) = (Records.Url(Prefix + "/TIE-1", 1), Records.Url(Prefix + "/TIE-2", 2));
        await store.WriteAsync([StoreWrite.Create(one.Handle, one)], Ct);
        await store.WriteAsync([StoreWrite.Create(two.Handle, two)], Ct);
        var before = store.LastLoggedPosition;

        // Copies of both changes at one position, as two instances drawing the same microsecond and number would write them.
        var tie = before + (1L << ChangePositions.WriterBits);
        await using var session = _cluster.OpenSession();
        foreach (var record in new[] { one, two })
        {
            await session.InsertChangeAsync(new ChangeRow(tie, record.Handle, record.Version, RecordCodec.Encode(record)), 3600, Ct);
        }

        _time.Advance(Settle + TimeSpan.FromMilliseconds(1));
        var all = (await store.ReadChangesAsync(0, 100, Ct)).Entries;
        Assert.Equal([(one.Handle, false), (two.Handle, false), (one.Handle, true), (two.Handle, true)], all.Select(e => (e.Key, e.Position == tie)));

        // A page of two ends before the tie rather than between its rows; a page of one takes the whole tie.
        var upToTie = await store.ReadChangesAsync(all[0].Position, 2, Ct);
        Assert.Equal([all[1].Position], upToTie.Entries.Select(e => e.Position));
        var atTie = await store.ReadChangesAsync(upToTie.Next, 1, Ct);
        Assert.Equal([tie, tie], atTie.Entries.Select(e => e.Position));
        Assert.Equal(tie, atTie.Next);
    }

    [Fact]
    public async Task A_lease_whose_answer_was_lost_counts_as_not_taken_and_its_owner_finds_it_on_the_next_attempt()
    {
        var store = await OpenAsync();
        _cluster.LoseLeaseAnswers = 1;

        Assert.False(await store.TryAcquireLeaseAsync("filing", "instance-a", TimeSpan.FromMinutes(1), Ct));
        Assert.False(await store.TryAcquireLeaseAsync("filing", "instance-b", TimeSpan.FromMinutes(1), Ct));
        Assert.True(await store.TryAcquireLeaseAsync("filing", "instance-a", TimeSpan.FromMinutes(1), Ct));
    }

    [Fact]
    public async Task A_lease_lasts_whole_seconds_rounded_up()
    {
        var store = await OpenAsync();
        Assert.True(await store.TryAcquireLeaseAsync("filing", "instance-a", TimeSpan.FromMilliseconds(1500), Ct));

        _time.Advance(TimeSpan.FromMilliseconds(1900));
        Assert.False(await store.TryAcquireLeaseAsync("filing", "instance-b", TimeSpan.FromMinutes(1), Ct));
        _time.Advance(TimeSpan.FromMilliseconds(200));
        Assert.True(await store.TryAcquireLeaseAsync("filing", "instance-b", TimeSpan.FromMinutes(1), Ct));
    }

    [Fact]
    public async Task Invalid_change_log_settings_are_refused_before_anything_is_written()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await OpenAsync(new CassandraChangeLogOptions { RetentionHours = 0, SettleMilliseconds = 10 }));

        Assert.Contains("ChangeLog:RetentionHours is 0; allowed: 1 to 87600.", error.Message, StringComparison.Ordinal);
        Assert.Contains("ChangeLog:SettleMilliseconds is 10; allowed: 1000 to 3600000.", error.Message, StringComparison.Ordinal);
        Assert.Empty(_cluster.ChangeRows);
    }

    private async Task<CassandraHandleStore> OpenAsync(CassandraChangeLogOptions? options = null)
    {
        var store = await CassandraHandleStore.OpenAsync(_cluster.OpenSession(), new CassandraStoreOptions { LocalDataCenter = "dc1", ListingBuckets = 8 }, options ?? ChangeLog, _time, Ct);
        _stores.Add(store);
        return store;
    }

    /// <summary>Holds the transaction of the write of <paramref name="key"/> (with this version, or the first) until released.</summary>
    private Gate HoldWrite(string key, long? version)
    {
        var gate = new Gate();
        var taken = 0;
        _cluster.BeforeConditional = async write =>
        {
            if (write.Key == key && (version is null || write.Record?.Version == version) && Interlocked.Exchange(ref taken, 1) == 0)
            {
                gate.Enter();
                await gate.Released;
            }
        };
        return gate;
    }

    private async Task UntilRowsAsync(int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (_cluster.ChangeRows.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {count} log rows.");
            await Task.Delay(10, Ct);
        }
    }

    private static async Task<long> ApplyAsync(IHandleStore store, FeedReplica replica, long cursor, int limit)
    {
        var page = await store.ReadChangesAsync(cursor, limit, Ct);
        Assert.False(page.Trimmed);
        replica.Apply(page.Entries);
        return page.Next;
    }

    private sealed class Gate
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => _entered.Task;

        public Task Released => _released.Task;

        public void Enter() => _entered.TrySetResult();

        public void Release() => _released.TrySetResult();
    }
}
