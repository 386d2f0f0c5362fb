using IdResolution.Cql.Errors;

namespace IdResolution.Cql.Execution;

/// <summary>
/// A CQL statement and its bound values, with the settings of this one execution. Statements with
/// values are prepared once per node and executed by id; those without are sent as text.
/// </summary>
public sealed class CqlStatement
{
    public CqlStatement(string cql, params object?[] values)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cql);
        ArgumentNullException.ThrowIfNull(values);
        Cql = cql;
        Values = values;
    }

    public string Cql { get; }

    /// <summary>Positional values: null writes null, <see cref="CqlUnset.Value"/> leaves the column as it is.</summary>
    public IReadOnlyList<object?> Values { get; }

    /// <summary>Null means the session's default.</summary>
    public CqlConsistency? Consistency { get; init; }

    /// <summary>For conditional statements; null means the session's default.</summary>
    public CqlConsistency? SerialConsistency { get; init; }

    public int? PageSize { get; init; }

    public byte[]? PagingState { get; init; }

    /// <summary>
    /// Whether running it twice has the effect of running it once. Only idempotent statements are
    /// retried on another node after a failure that leaves unknown whether they were applied.
    /// </summary>
    public bool IsIdempotent { get; init; }

    public CqlStatement WithPagingState(byte[]? pagingState) => new(Cql, [.. Values])
    {
        Consistency = Consistency,
        SerialConsistency = SerialConsistency,
        PageSize = PageSize,
        PagingState = pagingState,
        IsIdempotent = IsIdempotent,
    };
}
