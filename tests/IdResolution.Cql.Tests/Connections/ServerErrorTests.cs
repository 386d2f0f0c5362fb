using IdResolution.Cql.Errors;
using IdResolution.Cql.Protocol;
using IdResolution.Cql.Protocol.Requests;
using IdResolution.Cql.Protocol.Responses;
using IdResolution.Cql.Tests.Server;
using static IdResolution.Cql.Tests.Connections.ConnectionTestKit;

namespace IdResolution.Cql.Tests.Connections;

public sealed class ServerErrorTests
{
    private static readonly byte[] PreparedId = [0xCA, 0xFE, 0xBA, 0xBE];

    [Fact]
    public async Task Overloaded_surfaces_as_its_typed_exception_and_the_connection_stays_open()
    {
        await using var server = new LoopbackCqlServer(request => request.QueryText == "busy"
            ? ServerReply.Overloaded("Too many in flight")
            : ServerReply.Void);
        await using var connection = await OpenAsync(server);

        var error = await Assert.ThrowsAsync<CqlOverloadedException>(() => connection.SendAsync("busy"));

        Assert.Equal((CqlErrorCode.Overloaded, "Too many in flight"), (error.Code, error.Message));
        Assert.IsType<VoidResult>(await connection.SendAsync("then").Within());
    }

    [Fact]
    public async Task Unprepared_surfaces_as_its_typed_exception_with_the_statement_id()
    {
        await using var server = new LoopbackCqlServer(request => request.Opcode == CqlOpcode.Prepare
            ? ServerReply.Prepared(PreparedId)
            : ServerReply.Unprepared("Prepared query with ID cafebabe not found", PreparedId));
        await using var connection = await OpenAsync(server);
        var prepared = Assert.IsType<PreparedResult>(
            await connection.SendAsync(new PrepareRequest("SELECT v FROM t"), Deadline, TestContext.Current.CancellationToken));

        var error = await Assert.ThrowsAsync<CqlUnpreparedException>(() => connection.SendAsync(
            new ExecuteRequest(prepared.Id, new CqlQueryParameters(CqlConsistency.One)), Deadline, TestContext.Current.CancellationToken));

        Assert.Equal(CqlErrorCode.Unprepared, error.Code);
        Assert.Equal(PreparedId, error.Id.ToArray());
        Assert.Equal(PreparedId, new CqlBodyReader(server.Received.Last().Body).ReadShortBytes().ToArray());
    }

    [Fact]
    public async Task A_reply_whose_body_cannot_be_decoded_fails_only_its_own_request()
    {
        await using var server = new LoopbackCqlServer(request => request.QueryText == "garbled"
            ? new FrameReply(CqlOpcode.Result, [0, 0, 0x7F, 0x7F])
            : ServerReply.Rows("fine"));
        await using var connection = await OpenAsync(server);

        await Assert.ThrowsAsync<CqlProtocolException>(() => connection.SendAsync("garbled"));

        Assert.False(connection.IsClosed);
        Assert.Equal("fine", SingleValue(await connection.SendAsync("next").Within()));
    }
}
