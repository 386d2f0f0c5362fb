namespace IdResolution.Cql.Protocol.Requests;

/// <summary>One statement of a BATCH: a query string or a prepared id, with positional values.</summary>
internal sealed record CqlBatchStatement
{
    private CqlBatchStatement(string? query, ReadOnlyMemory<byte> preparedId, IReadOnlyList<CqlValue> values)
    {
        Query = query;
        PreparedId = preparedId;
        Values = values;
    }

    /// <summary>The query string; null for a prepared statement.</summary>
    public string? Query { get; }

    public ReadOnlyMemory<byte> PreparedId { get; }

    public IReadOnlyList<CqlValue> Values { get; }

    public static CqlBatchStatement ForQuery(string query, IReadOnlyList<CqlValue>? values = null) =>
        new(query ?? throw new ArgumentNullException(nameof(query)), default, values ?? []);

    public static CqlBatchStatement ForPrepared(ReadOnlyMemory<byte> preparedId, IReadOnlyList<CqlValue>? values = null) =>
        new(null, preparedId, values ?? []);
}
