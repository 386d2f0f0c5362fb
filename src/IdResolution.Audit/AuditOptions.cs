namespace IdResolution.Audit;

/// <summary>Retention of the audit trail (configuration section <c>Audit</c>); where it is kept is <c>Security:AuditPath</c>.</summary>
public sealed class AuditOptions
{
    public const string SectionName = "Audit";

    /// <summary>
    /// Whole UTC days kept before today; older day files are deleted at start and every hour. Two years by default:
    /// a yearly review of the trail and the month before it stay within reach.
    /// </summary>
    public int RetentionDays { get; set; } = 730;
}
