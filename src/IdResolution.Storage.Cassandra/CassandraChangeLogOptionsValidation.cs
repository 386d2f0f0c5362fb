using IdResolution.Core.Composition;

namespace IdResolution.Storage.Cassandra;

/// <summary>The allowed values of the Cassandra store's change log settings (section <c>ChangeLog</c>).</summary>
public static class CassandraChangeLogOptionsValidation
{
    /// <summary>Ten years, well inside Cassandra's largest TTL (20 years).</summary>
    public const int MaxRetentionHours = 87_600;

    public static void Check(CassandraChangeLogOptions options, SettingProblems problems)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(problems);
        problems.Range($"{CassandraChangeLogOptions.SectionName}:RetentionHours", options.RetentionHours, 1, MaxRetentionHours);

        // At least a second: skew between NTP-synchronised hosts plus one lightweight transaction; at most an hour.
        problems.Range($"{CassandraChangeLogOptions.SectionName}:SettleMilliseconds", options.SettleMilliseconds, 1000, 3_600_000);
    }
}
