namespace IdResolution.Storage.Cassandra;

/// <summary>The Cassandra store's change log (configuration section <c>ChangeLog</c>).</summary>
public sealed class CassandraChangeLogOptions
{
    public const string SectionName = "ChangeLog";

    /// <summary>Log rows expire this long after they were written (their TTL).</summary>
    public int RetentionHours { get; set; } = 168;

    /// <summary>
    /// Readers see a log row only once it is this old. Rows are written before their record's lightweight
    /// transaction, by several instances, each with its own clock: this must exceed the clock skew between
    /// the node's instances plus the time a write takes, so that a row a reader passes can no longer be
    /// preceded by one written late, and the write it announces has committed or failed.
    /// </summary>
    public int SettleMilliseconds { get; set; } = 5000;
}
