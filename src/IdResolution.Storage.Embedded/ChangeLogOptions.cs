namespace IdResolution.Storage.Embedded;

/// <summary>Retention of the embedded store's change log (configuration section <c>ChangeLog</c>).</summary>
public sealed class ChangeLogOptions
{
    public const string SectionName = "ChangeLog";

    /// <summary>Entries older than this are dropped (checked once a minute).</summary>
    public int RetentionHours { get; set; } = 168;

    /// <summary>At most this many entries are kept; the oldest go first (checked once a minute).</summary>
    public long MaxEntries { get; set; } = 10_000_000;
}
