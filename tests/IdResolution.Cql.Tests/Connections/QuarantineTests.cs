using IdResolution.Cql.Connections;
using IdResolution.Cql.Protocol;
using IdResolution.Cql.Protocol.Responses;
using IdResolution.Cql.Tests.Server;
using static IdResolution.Cql.Tests.Connections.ConnectionTestKit;

namespace IdResolution.Cql.Tests.Connections;

public sealed class QuarantineTests
{
    [Fact]
    public async Task A_timed_out_request_keeps_its_stream_id_until_the_late_reply_then_the_id_is_reused()
    {
        var late = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new LoopbackCqlServer(request => request.QueryText == "slow"
            ? ServerReply.After(late.Task, ServerReply.Rows("too late"))
            : ServerReply.Rows(request.QueryText));
        await using var connection = await OpenAsync(server, new CqlConnectionOptions { MaxStreamIds = 1 });

        // The server still holds the request when the caller is released: the timeout does not wait for it.
        await Assert.ThrowsAsync<TimeoutException>(
            () => connection.SendAsync(Query("slow"), TimeSpan.FromMilliseconds(100), TestContext.Current.CancellationToken));
        Assert.False(late.Task.IsCompleted);
        Assert.Equal(1, connection.QuarantinedStreamIds);
        Assert.Equal(0, connection.AvailableStreamIds);

        var next = connection.SendAsync("next");
        await EventuallyAsync(() => connection.WaitingForStreamId == 1, "the next request waits for the quarantined id");
        Assert.DoesNotContain(server.Received, r => r.Opcode == CqlOpcode.Query && r.QueryText == "next");

        late.SetResult();

        Assert.Equal("next", SingleValue(await next.Within()));
        var streamOf = server.Received.Where(r => r.Opcode == CqlOpcode.Query).ToDictionary(r => r.QueryText, r => r.StreamId);
        Assert.Equal(streamOf["slow"], streamOf["next"]);
        Assert.Equal(0, connection.QuarantinedStreamIds);
        Assert.True(connection.IsHealthy);
    }

    [Fact]
    public async Task A_slow_reply_within_the_timeout_is_delivered_and_quarantines_nothing()
    {
        await using var server = new LoopbackCqlServer(request => ServerReply.Delay(TimeSpan.FromMilliseconds(50), ServerReply.Rows(request.QueryText)));
        await using var connection = await OpenAsync(server);

        Assert.Equal("slow but fine", SingleValue(await connection.SendAsync("slow but fine").Within()));
        Assert.Equal(0, connection.QuarantinedStreamIds);
    }

    [Fact]
    public async Task A_cancelled_request_is_cancelled_at_once_and_its_id_quarantined()
    {
        var late = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new LoopbackCqlServer(_ =>
        {
            received.TrySetResult();
            return ServerReply.After(late.Task, ServerReply.Void);
        });
        await using var connection = await OpenAsync(server);
        using var cancel = new CancellationTokenSource();

        var request = connection.SendAsync(Query("q"), Deadline, cancel.Token);
        await received.Task.Within();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        Assert.Equal(1, connection.QuarantinedStreamIds);

        late.SetResult();
        await EventuallyAsync(() => connection.QuarantinedStreamIds == 0, "the late reply frees the id");
        Assert.Equal(CqlConnectionOptions.DefaultMaxStreamIds, connection.AvailableStreamIds);
    }

    [Fact]
    public async Task Too_many_quarantined_ids_make_the_connection_unhealthy_but_it_keeps_serving()
    {
        await using var server = new LoopbackCqlServer(request => request.QueryText == "stuck" ? ServerReply.Never : ServerReply.Void);
        await using var connection = await OpenAsync(server, new CqlConnectionOptions { MaxStreamIds = 8, MaxQuarantinedStreamIds = 2 });

        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<TimeoutException>(
                () => connection.SendAsync(Query("stuck"), TimeSpan.FromMilliseconds(20), TestContext.Current.CancellationToken));
            Assert.Equal(i < 2, connection.IsHealthy);
        }

        Assert.Equal(3, connection.QuarantinedStreamIds);
        Assert.False(connection.IsClosed);
        Assert.IsType<VoidResult>(await connection.SendAsync("fine").Within());
    }
}
