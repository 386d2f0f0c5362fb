using IdResolution.Cql.Connections;
using IdResolution.Cql.Errors;

namespace IdResolution.Cql.Tests.Connections;

public sealed class StreamIdPoolTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_id_is_handed_out_once_until_released()
    {
        var pool = new StreamIdPool(3);

        var ids = new[] { await pool.AcquireAsync(Token), await pool.AcquireAsync(Token), await pool.AcquireAsync(Token) };

        Assert.Equal([0, 1, 2], ids.Order().Select(id => (int)id));
        Assert.Equal(0, pool.Available);
    }

    [Fact]
    public async Task Released_ids_go_to_waiters_in_arrival_order()
    {
        var pool = new StreamIdPool(1);
        var only = await pool.AcquireAsync(Token);
        var first = pool.AcquireAsync(Token).AsTask();
        var second = pool.AcquireAsync(Token).AsTask();

        pool.Release(only);

        Assert.Equal(only, await first.Within());
        Assert.False(second.IsCompleted);
        Assert.Equal(1, pool.Waiting);
        pool.Release(only);
        Assert.Equal(only, await second.Within());
    }

    [Fact]
    public async Task A_cancelled_waiter_leaves_the_queue_and_the_next_id_goes_to_the_one_behind_it()
    {
        var pool = new StreamIdPool(1);
        var only = await pool.AcquireAsync(Token);
        using var cancel = new CancellationTokenSource();
        var cancelled = pool.AcquireAsync(cancel.Token).AsTask();
        var patient = pool.AcquireAsync(Token).AsTask();

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(1, pool.Waiting);
        pool.Release(only);

        Assert.Equal(only, await patient.Within());
    }

    [Fact]
    public async Task Closing_fails_the_waiters_and_every_later_acquire()
    {
        var pool = new StreamIdPool(1);
        await pool.AcquireAsync(Token);
        var waiting = pool.AcquireAsync(Token).AsTask();
        var reason = new CqlConnectionException("gone");

        pool.Close(reason);

        Assert.Same(reason, await Assert.ThrowsAsync<CqlConnectionException>(() => waiting.Within()));
        Assert.Same(reason, await Assert.ThrowsAsync<CqlConnectionException>(() => pool.AcquireAsync(Token).AsTask()));
    }
}
