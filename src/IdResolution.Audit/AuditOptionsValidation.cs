using IdResolution.Core.Composition;

namespace IdResolution.Audit;

/// <summary>The allowed values of the audit trail's retention (section <c>Audit</c>).</summary>
public static class AuditOptionsValidation
{
    /// <summary>A hundred years: in effect "keep everything", still a number the pruning can compute with.</summary>
    public const int MaxRetentionDays = 36_500;

    public static void Check(AuditOptions options, SettingProblems problems)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(problems);
        problems.Range($"{AuditOptions.SectionName}:RetentionDays", options.RetentionDays, 1, MaxRetentionDays);
    }
}
