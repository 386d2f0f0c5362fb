using IdResolution.Core.Composition;

namespace IdResolution.Storage.Embedded.Tests;

/// <summary>ChangeLog:RetentionHours and ChangeLog:MaxEntries are bounded and named with their value.</summary>
public sealed class ChangeLogOptionsValidationTests
{
    [Fact]
    public void The_defaults_are_valid_a_week_and_ten_million_entries()
    {
        var options = new ChangeLogOptions();

        Assert.Empty(Problems(options));
        Assert.Equal(168, options.RetentionHours);
        Assert.Equal(10_000_000, options.MaxEntries);
    }

    [Fact]
    public void No_retention_and_no_entries_are_refused_naming_both() =>
        Assert.Equal(
            ["ChangeLog:RetentionHours is 0; allowed: 1 to 87600.", "ChangeLog:MaxEntries is 0; allowed: 1 to 1000000000000."],
            Problems(new ChangeLogOptions { RetentionHours = 0, MaxEntries = 0 }));

    private static IReadOnlyList<string> Problems(ChangeLogOptions options)
    {
        var problems = new SettingProblems();
        ChangeLogOptionsValidation.Check(options, problems);
        return problems.Found;
    }
}
