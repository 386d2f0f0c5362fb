namespace IdResolution.Core.Security;

/// <summary>One audited event: a write (whatever its outcome) or a failed authentication.</summary>
public sealed record AuditEntry(
    DateTimeOffset Time,
    string Who,
    string ClientAddress,
    string Operation,
    string Target,
    string Prefix,
    int ResponseCode,
    string Message);

/// <summary>
/// The audit trail. Appends are durable when the returned task completes; the administrator queries
/// it by prefix and time range.
/// </summary>
public interface IAuditLog
{
    ValueTask AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken);

    /// <summary>Entries from <paramref name="since"/> (inclusive) to <paramref name="until"/> (exclusive), oldest first, for one prefix or all (null).</summary>
    ValueTask<IReadOnlyList<AuditEntry>> QueryAsync(string? prefix, DateTimeOffset since, DateTimeOffset until, int limit, CancellationToken cancellationToken);
}
