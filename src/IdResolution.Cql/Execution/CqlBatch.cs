using IdResolution.Cql.Errors;

namespace IdResolution.Cql.Execution;

/// <summary>
/// Statements applied together. Logged: all or none, even across partitions (at the cost of a batch
/// log write). Unlogged: one round trip for statements of one partition, which are atomic anyway.
/// </summary>
public sealed class CqlBatch
{
    public CqlBatch(IReadOnlyList<CqlStatement> statements, bool logged = true)
    {
        ArgumentNullException.ThrowIfNull(statements);
        if (statements.Count == 0)
        {
            throw new ArgumentException("A batch needs at least one statement.", nameof(statements));
        }

        Statements = statements;
        IsLogged = logged;
    }

    public IReadOnlyList<CqlStatement> Statements { get; }

    public bool IsLogged { get; }

    public CqlConsistency? Consistency { get; init; }

    public CqlConsistency? SerialConsistency { get; init; }

    /// <inheritdoc cref="CqlStatement.IsIdempotent"/>
    public bool IsIdempotent { get; init; }
}
