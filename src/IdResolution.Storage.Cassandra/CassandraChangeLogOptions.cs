namespace IdResolution.Storage.Cassandra;

/// <summary>The Cassandra store's change log (configuration section <c>ChangeLog</c>).</summary>
public sealed class CassandraChangeLogOptions
{
    public const string SectionName = "ChangeLog";

    /// <summary>Log rows expire this long after they were written (their TTL).</summary>
    public int RetentionHours { get; set; } = 168;

    /// <summary>
    /// Readers see a log row only once it is this old. Rows are written before their record's lightweight
    /// transaction, by several instances, each with its own clock: by then the write a row announces has
    /// committed or failed, and no row with an earlier position is still to come. A write slower than half
    /// of this logs itself again once it commits, so what it must exceed is twice the clock skew between
    /// the node's instances.
    /// </summary>
    public int SettleMilliseconds { get; set; } = 5000;
}
