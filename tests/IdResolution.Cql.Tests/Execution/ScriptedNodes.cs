using System.Collections.Concurrent;
using System.Text;
using IdResolution.Cql.Execution;
using IdResolution.Cql.Protocol.Requests;
using IdResolution.Cql.Protocol.Responses;

namespace IdResolution.Cql.Tests.Execution;

/// <summary>
/// Nodes as the executor sees them, answering from a script: the executor's decisions (what to
/// prepare, where to send, when to retry) are tested here; the wire is tested against the loopback server.
/// </summary>
internal sealed class ScriptedNode(string name, Func<ICqlRequest, CqlResponse> answer) : ICqlRequestChannel
{
    public ConcurrentQueue<ICqlRequest> Received { get; } = new();

    public string Name => name;

    public int Count<T>() => Received.Count(request => request is T);

    public Task<CqlResponse> SendAsync(ICqlRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Received.Enqueue(request);
        return Task.FromResult(answer(request));
    }
}

internal sealed class ScriptedPlanner(params ScriptedNode[] nodes) : IQueryPlanner
{
    public ConcurrentQueue<long?> Tokens { get; } = new();

    public IEnumerable<ICqlRequestChannel> Plan(long? token)
    {
        Tokens.Enqueue(token);
        return nodes;
    }
}

internal static class Results
{
    public static readonly CqlColumnType Text = CqlColumnType.Native(CqlColumnTypeCode.Varchar);
    public static readonly CqlColumnType BigInt = CqlColumnType.Native(CqlColumnTypeCode.Bigint);
    public static readonly CqlColumnType Boolean = CqlColumnType.Native(CqlColumnTypeCode.Boolean);

    public static PreparedResult Prepared(byte id, params (string Name, CqlColumnType Type)[] markers) => new(
        new byte[] { id },
        [0],
        [.. markers.Select(m => new CqlColumnSpec("ks", "t", m.Name, m.Type))],
        new CqlRowsMetadata(CqlRowsFlags.NoMetadata, 0, null, []));

    /// <summary>Rows of (column, type) with cells already encoded; a null cell is null.</summary>
    public static RowsResult Rows((string Name, CqlColumnType Type)[] columns, byte[]? pagingState, params byte[]?[][] rows) => new(
        new CqlRowsMetadata(pagingState is null ? CqlRowsFlags.None : CqlRowsFlags.HasMorePages, columns.Length, pagingState is null ? default(ReadOnlyMemory<byte>?) : pagingState, [.. columns.Select(c => new CqlColumnSpec("ks", "t", c.Name, c.Type))]),
        rows.Length,
        [.. rows.SelectMany(row => row.Select(cell => cell is null ? (ReadOnlyMemory<byte>?)null : cell))]);

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
