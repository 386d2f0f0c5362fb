using System.Collections.Concurrent;
using IdResolution.Cql.Connections;
using IdResolution.Cql.Protocol;
using IdResolution.Cql.Protocol.Responses;
using IdResolution.Cql.Tests.Server;
using static IdResolution.Cql.Tests.Connections.ConnectionTestKit;

namespace IdResolution.Cql.Tests.Connections;

public sealed class MultiplexingTests
{
    [Fact]
    public async Task A_thousand_concurrent_requests_answered_in_shuffled_order_each_get_their_own_answer()
    {
        const int count = 1000;
        var gates = new ConcurrentDictionary<string, TaskCompletionSource>();
        var allReceived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new LoopbackCqlServer(request =>
        {
            var gate = gates.GetOrAdd(request.QueryText, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            if (gates.Count == count)
            {
                allReceived.TrySetResult();
            }

            return ServerReply.After(gate.Task, ServerReply.Rows($"answer to {request.QueryText}"));
        });
        await using var connection = await OpenAsync(server);

        var requests = Enumerable.Range(0, count).Select(i => connection.SendAsync($"q{i}")).ToArray();
        await allReceived.Task.Within();

        // Every request is on the wire before any answer, so answers cannot come back in sending order by luck.
        var streamIds = server.Received.Where(r => r.Opcode == CqlOpcode.Query).Select(r => r.StreamId).ToList();
        Assert.Equal(count, streamIds.Distinct().Count());
        foreach (var gate in gates.Values.OrderBy(_ => Random.Shared.Next()))
        {
            gate.SetResult();
        }

        var answers = await Task.WhenAll(requests).Within();
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"answer to q{i}"), answers.Select(SingleValue));
        Assert.Equal(CqlConnectionOptions.DefaultMaxStreamIds, connection.AvailableStreamIds);
    }

    [Fact]
    public async Task When_every_stream_id_is_taken_the_next_request_waits_for_one_instead_of_failing()
    {
        var gates = new ConcurrentDictionary<string, TaskCompletionSource>();
        await using var server = new LoopbackCqlServer(request => ServerReply.After(
            gates.GetOrAdd(request.QueryText, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task,
            ServerReply.Rows(request.QueryText)));
        await using var connection = await OpenAsync(server, new CqlConnectionOptions { MaxStreamIds = 4 });

        var held = Enumerable.Range(0, 4).Select(i => connection.SendAsync($"held{i}")).ToArray();
        await EventuallyAsync(() => gates.Count == 4, "the server holds four requests");
        var fifth = connection.SendAsync("fifth");
        await EventuallyAsync(() => connection.WaitingForStreamId == 1, "the fifth request waits for a stream id");

        Assert.Equal(0, connection.AvailableStreamIds);
        Assert.False(fifth.IsCompleted);
        Assert.DoesNotContain(server.Received, r => r.Opcode == CqlOpcode.Query && r.QueryText == "fifth");

        gates["held2"].SetResult();
        Assert.Equal("held2", SingleValue(await held[2].Within()));
        await EventuallyAsync(() => gates.ContainsKey("fifth"), "the fifth request reaches the server");
        var streamOf = server.Received.Where(r => r.Opcode == CqlOpcode.Query).ToDictionary(r => r.QueryText, r => r.StreamId);
        Assert.Equal(streamOf["held2"], streamOf["fifth"]);

        gates["fifth"].SetResult();
        Assert.Equal("fifth", SingleValue(await fifth.Within()));
        foreach (var gate in gates.Values)
        {
            gate.TrySetResult();
        }

        Assert.Equal(["held0", "held1", "held2", "held3"], (await Task.WhenAll(held).Within()).Select(SingleValue));
    }

    [Fact]
    public async Task A_request_waiting_for_a_stream_id_times_out_without_taking_one()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new LoopbackCqlServer(request => ServerReply.After(gate.Task, ServerReply.Void));
        await using var connection = await OpenAsync(server, new CqlConnectionOptions { MaxStreamIds = 1 });
        var held = connection.SendAsync("held");
        await EventuallyAsync(() => connection.AvailableStreamIds == 0, "the only id is taken");

        await Assert.ThrowsAsync<TimeoutException>(
            () => connection.SendAsync(Query("starved"), TimeSpan.FromMilliseconds(50), TestContext.Current.CancellationToken));

        Assert.Equal(0, connection.WaitingForStreamId);
        Assert.Equal(0, connection.QuarantinedStreamIds);
        gate.SetResult();
        Assert.IsType<VoidResult>(await held.Within());
        Assert.IsType<VoidResult>(await connection.SendAsync("next").Within());
    }
}
