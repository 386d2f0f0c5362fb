using IdResolution.Core.Records;
using IdResolution.Core.Storage;
using IdResolution.Core.Tests.Support;

namespace IdResolution.Core.Tests.Resolution;

public sealed class CoalescingRecordSourceTests : IDisposable
{
    private const string Handle = "88.709.911/HOT";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly Node _node = new();

    public void Dispose() => _node.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Url(Outcome<IdResolution.Core.Resolution.Resolution> outcome) => Values.DataText(outcome.Value!.Values.Single(v => v.Index == 1));

    [Fact]
    public async Task Concurrent_misses_on_one_handle_share_a_single_store_read()
    {
        _node.Store.Put(Handle, new HandleRecord(Handle, [Values.Url(1, "https://example.org")], 1));
        var gate = _node.Store.GateNextRead();
        var waiting = 0;

        // Each resolve has joined the shared read by the time ResolveAsync returns its task: the read
        // is held open by the gate, so none can finish early and none can start a read of its own later.
        var resolves = Enumerable.Range(0, 100)
            .Select(_ => Task.Run(() =>
            {
                var resolve = _node.ResolveAsync(Handle).AsTask();
                Interlocked.Increment(ref waiting);
                return resolve;
            }, Ct))
            .ToArray();

        await gate.Entered.WaitAsync(Deadline, Ct);
        await Poll.UntilAsync(() => Volatile.Read(ref waiting) == 100, "all 100 resolves wait on the read");
        Assert.All(resolves, resolve => Assert.False(resolve.IsCompleted));
        Assert.Equal(1, _node.Store.Reads);

        gate.Release();
        var outcomes = await Task.WhenAll(resolves).WaitAsync(Deadline, Ct);

        Assert.Equal(1, _node.Store.Reads);
        Assert.All(outcomes, outcome => Assert.Equal("https://example.org", Url(outcome)));
        Assert.Single(outcomes.Select(o => o.Value!.Record).Distinct());
    }

    [Fact]
    public async Task A_load_overtaken_by_a_write_does_not_leave_the_old_record_cached()
    {
        Assert.True((await _node.CreateAsync(Handle, Values.Url(1, "https://old"))).IsSuccess);
        var gate = _node.Store.GateNextRead();
        var inFlight = _node.ResolveAsync(Handle).AsTask();
        await gate.Entered.WaitAsync(Deadline, Ct);

        // The read has taken its snapshot of the old record; now a write lands.
        var write = await _node.Registrar.ModifyValuesAsync(TestCallers.Administrator, Handle, [Values.Url(1, "https://new")], Ct);
        Assert.True(write.IsSuccess);

        gate.Release();
        Assert.Equal("https://old", Url(await inFlight.WaitAsync(Deadline, Ct)));

        Assert.Equal("https://new", Url(await _node.ResolveAsync(Handle)));
        Assert.Equal("https://new", Url(await _node.ResolveAsync(Handle)));
    }

    [Fact]
    public async Task A_resolve_after_a_write_does_not_join_a_load_that_started_before_it()
    {
        Assert.True((await _node.CreateAsync(Handle, Values.Url(1, "https://old"))).IsSuccess);
        var gate = _node.Store.GateNextRead();
        var inFlight = _node.ResolveAsync(Handle).AsTask();
        await gate.Entered.WaitAsync(Deadline, Ct);
        Assert.True((await _node.Registrar.ModifyValuesAsync(TestCallers.Administrator, Handle, [Values.Url(1, "https://new")], Ct)).IsSuccess);

        // The old load is still held open; a resolve now must read the store afresh.
        Assert.Equal("https://new", Url(await _node.ResolveAsync(Handle).AsTask().WaitAsync(Deadline, Ct)));

        gate.Release();
        await inFlight.WaitAsync(Deadline, Ct);
        Assert.Equal("https://new", Url(await _node.ResolveAsync(Handle)));
    }

    [Fact]
    public async Task A_failed_read_fails_every_waiter_and_is_not_cached()
    {
        _node.Store.Put(Handle, new HandleRecord(Handle, [Values.Url(1, "https://example.org")], 1));
        var gate = _node.Store.GateNextRead();
        var first = _node.ResolveAsync(Handle).AsTask();
        var second = _node.ResolveAsync(Handle).AsTask();
        await gate.Entered.WaitAsync(Deadline, Ct);

        gate.Fail(new StoreUnavailableException("the store is down"));

        await Assert.ThrowsAsync<StoreUnavailableException>(() => first.WaitAsync(Deadline, Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => second.WaitAsync(Deadline, Ct));
        Assert.Equal(1, _node.Store.Reads);

        Assert.Equal("https://example.org", Url(await _node.ResolveAsync(Handle)));
        Assert.Equal(2, _node.Store.Reads);
    }

    [Fact]
    public async Task One_caller_giving_up_does_not_cancel_the_shared_read()
    {
        _node.Store.Put(Handle, new HandleRecord(Handle, [Values.Url(1, "https://example.org")], 1));
        var gate = _node.Store.GateNextRead();
        using var impatient = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var cancelled = _node.Resolver.ResolveAsync(TestCallers.Administrator, Handle, IdResolution.Core.Resolution.ValueFilter.All, authoritative: false, impatient.Token).AsTask();
        var patient = _node.ResolveAsync(Handle).AsTask();
        await gate.Entered.WaitAsync(Deadline, Ct);

        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Deadline, Ct));
        Assert.False(patient.IsCompleted);

        gate.Release();
        Assert.Equal("https://example.org", Url(await patient.WaitAsync(Deadline, Ct)));
        Assert.Equal(1, _node.Store.Reads);
    }
}
