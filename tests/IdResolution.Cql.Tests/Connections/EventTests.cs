using System.Net;
using IdResolution.Cql.Protocol.Requests;
using IdResolution.Cql.Protocol.Responses;
using IdResolution.Cql.Tests.Server;
using static IdResolution.Cql.Tests.Connections.ConnectionTestKit;

namespace IdResolution.Cql.Tests.Connections;

public sealed class EventTests
{
    [Fact]
    public async Task An_event_pushed_on_stream_minus_one_reaches_the_callback()
    {
        await using var server = new LoopbackCqlServer();
        await using var connection = await OpenAsync(server);
        var received = new TaskCompletionSource<CqlEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.EventReceived += e => received.TrySetResult(e);
        Assert.IsType<ReadyResponse>(await connection.SendAsync(
            new RegisterRequest(["STATUS_CHANGE", "TOPOLOGY_CHANGE"]), Deadline, TestContext.Current.CancellationToken));

        var node = new IPEndPoint(IPAddress.Parse("10.0.0.9"), 9042);
        Assert.Equal(1, await server.PushStatusChangeAsync("DOWN", node));

        var statusChange = Assert.IsType<StatusChangeEvent>(await received.Task.Within());
        Assert.Equal(("DOWN", node), (statusChange.Change, statusChange.Address));
    }

    [Fact]
    public async Task A_throwing_event_handler_does_not_break_the_connection()
    {
        await using var server = new LoopbackCqlServer(_ => ServerReply.Rows("still here"));
        await using var connection = await OpenAsync(server);
        var calls = 0;
        connection.EventReceived += _ =>
        {
            Interlocked.Increment(ref calls);
            throw new InvalidOperationException("handler bug");
        };
        await connection.SendAsync(new RegisterRequest(["STATUS_CHANGE"]), Deadline, TestContext.Current.CancellationToken);

        await server.PushStatusChangeAsync("UP", new IPEndPoint(IPAddress.Loopback, 9042));
        await EventuallyAsync(() => Volatile.Read(ref calls) == 1, "the handler ran");

        Assert.Equal("still here", SingleValue(await connection.SendAsync("q").Within()));
    }
}
