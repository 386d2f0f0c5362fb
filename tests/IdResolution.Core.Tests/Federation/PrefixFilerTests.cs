using IdResolution.Core.Duties;
using IdResolution.Core.Federation;
using IdResolution.Core.Security;
using IdResolution.Core.Tests.Support;

namespace IdResolution.Core.Tests.Federation;

/// <summary>
/// The child's side of filing: two instances of node 88.709 over one shared store (the in-memory store of
/// these tests, whose leases and cursors follow the same contract the RocksDB and Cassandra stores are tested
/// against in the store contract) file every prefix handle change with a real parent registrar, once in effect.
/// </summary>
public sealed class PrefixFilerTests : IAsyncLifetime
{
    private readonly Node _top = new(nodePrefix: "88", role: NodeRole.TopLevel);
    private readonly Node _a = new(nodePrefix: "88.709");
    private readonly ParentLink _link;

    public PrefixFilerTests() => _link = new ParentLink(_top);

    public async ValueTask InitializeAsync() => await ChildA.AdmitAsync(_top);

    public ValueTask DisposeAsync()
    {
        _top.Dispose();
        _a.Dispose();
        return ValueTask.CompletedTask;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_instances_over_one_store_file_every_change_once_and_the_second_takes_over_when_the_first_stops()
    {
        var first = Filer();
        var second = Filer();
        for (var i = 0; i < 30; i++)
        {
            Assert.True((await _a.CreateAsync($"0.NA/88.709.{i}", Values.Text(PrefixSites.StatusIndex, ReservedTypes.PrefixStatus, "active"))).IsSuccess);
        }

        // Both instances run rounds at once, as two processes would; changes keep coming meanwhile.
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                Assert.True((await _a.Registrar.DeleteAsync(TestCallers.Administrator, $"0.NA/88.709.{i}", Ct)).IsSuccess);
            }
        }, Ct);
        await Task.WhenAll(RoundsAsync(first, 20), RoundsAsync(second, 20), writer);

        // The first instance goes away mid-stream (its lease released, as on shutdown); the second carries on.
        await first.StopAsync(Ct);
        for (var i = 30; i < 40; i++)
        {
            Assert.True((await _a.CreateAsync($"0.NA/88.709.{i}", Values.Text(PrefixSites.StatusIndex, ReservedTypes.PrefixStatus, "active"))).IsSuccess);
        }

        await UntilIdleAsync(second);

        var changes = await AllChangesAsync();
        Assert.Equal(50, changes.Count);
        // A removal carries the version of the record it removed: each change is (handle, version, removed).
        Assert.All(changes, change => Assert.Equal(1, _link.Applied.GetValueOrDefault(change)));
        Assert.Equal(changes.Count, _link.Applied.Count);
        Assert.Equal(0, second.Backlog);
        for (var i = 0; i < 40; i++)
        {
            var atTop = await _top.Store.GetAsync($"0.NA/88.709.{i}", Ct);
            var atA = await _a.Store.GetAsync($"0.NA/88.709.{i}", Ct);
            Assert.NotNull(atTop);
            Assert.Equal(atA?.Version ?? changes.Where(c => c.Handle == $"0.NA/88.709.{i}").Max(c => c.Version), PrefixSites.FiledVersion(atTop));
            Assert.Equal(i < 10 ? PrefixSites.Removed : "active", Values.DataText(atTop.Values.Single(v => v.Type == ReservedTypes.PrefixStatus)));
        }
    }

    [Fact]
    public async Task While_the_parent_is_unreachable_changes_wait_in_the_log_and_go_in_order_when_it_answers()
    {
        var filer = Filer();
        _link.Unreachable = true;
        Assert.True((await _a.CreateAsync("0.NA/88.709.1", Values.Text(PrefixSites.StatusIndex, ReservedTypes.PrefixStatus, "active"))).IsSuccess);
        Assert.True((await _a.Registrar.ModifyValuesAsync(TestCallers.Administrator, "0.NA/88.709.1",
            [Values.Text(PrefixSites.StatusIndex, ReservedTypes.PrefixStatus, "suspended")], Ct)).IsSuccess);

        var round = await filer.RunOnceAsync(Ct);
        Assert.NotNull(round.Failure);
        Assert.Equal(2, filer.Backlog);
        Assert.Empty(_link.Applied);

        _link.Unreachable = false;
        await UntilIdleAsync(filer);
        var atTop = await _top.Store.GetAsync("0.NA/88.709.1", Ct);
        Assert.Equal("suspended", Values.DataText(atTop!.Values.Single(v => v.Type == ReservedTypes.PrefixStatus)));
        Assert.Equal(0, filer.Backlog);
    }

    private PrefixFiler Filer() => new(_a.Store, _a.Store, _link, new RemoteNode("88", [new NodeEndpoint("http://127.0.0.1:1")]), _a.Core.Jurisdiction, _a.Grammar,
        new FederationOptions { FilingBatch = 7 }, _a.Time, _a.Metrics);

    private static async Task RoundsAsync(PrefixFiler filer, int rounds)
    {
        for (var i = 0; i < rounds; i++)
        {
            await filer.RunOnceAsync(Ct);
            await Task.Yield();
        }
    }

    private static async Task UntilIdleAsync(PrefixFiler filer)
    {
        for (var i = 0; i < 1000; i++)
        {
            var round = await filer.RunOnceAsync(Ct);
            if (round.Idle && round.Failure is null && filer.Backlog == 0)
            {
                return;
            }
        }

        Assert.Fail("the filer never caught up");
    }

    /// <summary>Every (handle, version) of a prefix handle change in A's log.</summary>
    private async Task<List<(string Handle, long Version, bool Removed)>> AllChangesAsync()
    {
        var changes = new List<(string, long, bool)>();
        var page = await _a.Store.ReadChangesAsync(0, 10_000, Ct);
        foreach (var entry in page.Entries.Where(e => e.Key.StartsWith("0.NA/88.709.", StringComparison.Ordinal)))
        {
            changes.Add((entry.Record?.Handle ?? entry.Key, entry.Version, entry.IsDeletion));
        }

        return changes;
    }
}
