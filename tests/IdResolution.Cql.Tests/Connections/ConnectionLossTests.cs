using System.Collections.Concurrent;
using IdResolution.Cql.Errors;
using IdResolution.Cql.Protocol;
using IdResolution.Cql.Protocol.Responses;
using IdResolution.Cql.Tests.Server;
using static IdResolution.Cql.Tests.Connections.ConnectionTestKit;

namespace IdResolution.Cql.Tests.Connections;

public sealed class ConnectionLossTests
{
    [Fact]
    public async Task A_connection_dropped_mid_stream_fails_every_request_in_flight_with_a_connection_exception()
    {
        var held = new ConcurrentBag<string>();
        await using var server = new LoopbackCqlServer(request =>
        {
            if (request.QueryText == "drop")
            {
                return ServerReply.Drop;
            }

            held.Add(request.QueryText);
            return ServerReply.Never;
        });
        await using var connection = await OpenAsync(server);
        var inFlight = Enumerable.Range(0, 50).Select(i => connection.SendAsync($"q{i}")).ToArray();
        await EventuallyAsync(() => held.Count == 50, "the server holds fifty requests");

        var dropped = connection.SendAsync("drop");

        foreach (var request in inFlight.Append(dropped))
        {
            // Written before the close: the server may have run them.
            Assert.False((await Assert.ThrowsAsync<CqlConnectionException>(() => request.Within())).NotSent);
        }

        await connection.Closed.Within();
        Assert.True(connection.IsClosed);
        Assert.False(connection.IsHealthy);
        Assert.True((await Assert.ThrowsAsync<CqlConnectionException>(() => connection.SendAsync("after"))).NotSent);
    }

    [Fact]
    public async Task A_killed_connection_fails_requests_waiting_for_a_stream_id_too()
    {
        var received = 0;
        await using var server = new LoopbackCqlServer(_ =>
        {
            Interlocked.Increment(ref received);
            return ServerReply.Never;
        });
        await using var connection = await OpenAsync(server, new Cql.Connections.CqlConnectionOptions { MaxStreamIds = 2 });
        var sent = Enumerable.Range(0, 2).Select(i => connection.SendAsync($"q{i}")).ToArray();
        await EventuallyAsync(() => Volatile.Read(ref received) == 2, "both ids are in use");
        var waiting = connection.SendAsync("waiting");
        await EventuallyAsync(() => connection.WaitingForStreamId == 1, "a request waits for an id");

        server.KillAllConnections();

        foreach (var request in sent)
        {
            Assert.False((await Assert.ThrowsAsync<CqlConnectionException>(() => request.Within())).NotSent);
        }

        // It never got a stream id, so nothing of it was written.
        Assert.True((await Assert.ThrowsAsync<CqlConnectionException>(() => waiting.Within())).NotSent);
    }

    [Fact]
    public async Task Disposing_the_connection_fails_what_is_in_flight()
    {
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new LoopbackCqlServer(_ =>
        {
            received.TrySetResult();
            return ServerReply.Never;
        });
        var connection = await OpenAsync(server);
        var request = connection.SendAsync("q");
        await received.Task.Within();

        await connection.DisposeAsync();

        var error = await Assert.ThrowsAsync<CqlConnectionException>(() => request.Within());
        Assert.Contains("closed by the client", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reply_on_a_stream_with_nothing_in_flight_is_a_protocol_violation_that_closes_the_connection()
    {
        await using var server = new LoopbackCqlServer(_ => ServerReply.Void);
        await using var connection = await OpenAsync(server);
        Assert.IsType<VoidResult>(await connection.SendAsync("q").Within());

        // The fixture's handler answers each request once; a second frame on an idle stream is forged here.
        server.Handler = _ => ServerReply.Never;
        var inFlight = connection.SendAsync("held");
        await EventuallyAsync(() => server.Received.Count(r => r.Opcode == CqlOpcode.Query) == 2, "the second request arrives");
        var stray = (short)(server.Received.Last().StreamId + 1);
        await server.WriteToAllAsync(stray, CqlOpcode.Result, [0, 0, 0, 1]);

        var error = await Assert.ThrowsAsync<CqlConnectionException>(() => inFlight.Within());
        Assert.IsType<CqlProtocolException>(error.InnerException);
    }
}
