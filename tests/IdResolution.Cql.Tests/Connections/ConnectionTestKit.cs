using System.Text;
using IdResolution.Cql.Connections;
using IdResolution.Cql.Errors;
using IdResolution.Cql.Protocol.Requests;
using IdResolution.Cql.Protocol.Responses;
using IdResolution.Cql.Tests.Server;

namespace IdResolution.Cql.Tests.Connections;

internal static class ConnectionTestKit
{
    /// <summary>A generous deadline, never a measure of speed: only a hang should ever reach it.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static Task<CqlConnection> OpenAsync(LoopbackCqlServer server, CqlConnectionOptions? options = null) =>
        CqlConnection.OpenAsync(server.EndPoint, options ?? new CqlConnectionOptions(), TestContext.Current.CancellationToken);

    public static QueryRequest Query(string text) => new(text, new CqlQueryParameters(CqlConsistency.One));

    public static Task<CqlResponse> SendAsync(this CqlConnection connection, string query) =>
        connection.SendAsync(Query(query), Deadline, TestContext.Current.CancellationToken);

    /// <summary>The single cell of a <see cref="ServerReply.Rows"/> answer.</summary>
    public static string SingleValue(CqlResponse response)
    {
        var rows = Assert.IsType<RowsResult>(response);
        Assert.Equal(1, rows.RowCount);
        return Encoding.UTF8.GetString(rows.GetCell(0, 0)!.Value.Span);
    }

    /// <summary>Polls a condition until it holds; fails the test at the deadline.</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Awaits a task with the generous deadline, so a hang fails the test instead of stalling the run.</summary>
    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(Deadline, TestContext.Current.CancellationToken);

    public static Task Within(this Task task) => task.WaitAsync(Deadline, TestContext.Current.CancellationToken);
}
