using IdResolution.Core.Security;

namespace IdResolution.StoreContract;

/// <summary>A unit-test double of the audit port that keeps entries in memory; the file-backed log has its own tests.</summary>
public sealed class RecordingAuditLog : IAuditLog
{
    private readonly List<AuditEntry> _entries = [];

    public IReadOnlyList<AuditEntry> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public ValueTask AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        lock (_entries)
        {
            _entries.AddRange(entries);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<AuditEntry>> QueryAsync(string? prefix, DateTimeOffset since, DateTimeOffset until, int limit, CancellationToken cancellationToken)
    {
        lock (_entries)
        {
            IReadOnlyList<AuditEntry> found = [.. _entries.Where(e => e.Time >= since && e.Time < until && (prefix is null || e.Prefix == prefix)).Take(limit)];
            return ValueTask.FromResult(found);
        }
    }
}
