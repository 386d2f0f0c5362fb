using IdResolution.Core.Composition;

namespace IdResolution.Storage.Embedded;

/// <summary>The allowed values of the change log's retention (section <c>ChangeLog</c>).</summary>
public static class ChangeLogOptionsValidation
{
    /// <summary>Ten years: retention is a window a parent catches up within, not an archive.</summary>
    public const int MaxRetentionHours = 87_600;

    public const long MaxEntriesLimit = 1_000_000_000_000;

    public static void Check(ChangeLogOptions options, SettingProblems problems)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(problems);
        problems.Range($"{ChangeLogOptions.SectionName}:RetentionHours", options.RetentionHours, 1, MaxRetentionHours);
        problems.Range($"{ChangeLogOptions.SectionName}:MaxEntries", options.MaxEntries, 1, MaxEntriesLimit);
    }
}
