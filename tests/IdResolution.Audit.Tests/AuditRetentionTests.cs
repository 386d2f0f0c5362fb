using IdResolution.Core.Composition;
using IdResolution.Core.Security;
using Microsoft.Extensions.Time.Testing;

namespace IdResolution.Audit.Tests;

/// <summary>Audit:RetentionDays: day files older than the retention are deleted, at start and as time passes; the setting is bounded.</summary>
public sealed class AuditRetentionTests : IDisposable
{
    private static readonly DateTimeOffset Today = new(2026, 12, 5, 14, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "idres-audit-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Day_files_before_the_retention_are_deleted_at_start_and_the_days_kept_stay_queryable()
    {
        var time = new FakeTimeProvider(Today);
        await using (var writer = new FileAuditLog(_directory, new AuditOptions { RetentionDays = 365 * 100 }, time))
        {
            foreach (var daysAgo in new[] { 0, 1, 30, 31, 400 })
            {
                await writer.AppendAsync([Entry(Today.AddDays(-daysAgo), "day-" + daysAgo)], Ct);
            }
        }

        await using var log = new FileAuditLog(_directory, new AuditOptions { RetentionDays = 30 }, time);

        // Today and the 30 whole days before it are kept; the 31st day back and older are gone.
        Assert.Equal(["audit-2026-11-05.jsonl", "audit-2026-12-04.jsonl", "audit-2026-12-05.jsonl"], Files());
        var kept = await log.QueryAsync(null, Today.AddDays(-500), Today.AddDays(1), 100, Ct);
        Assert.Equal(["day-0", "day-1", "day-30"], kept.Select(e => e.Operation).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_running_trail_drops_a_day_once_it_falls_out_of_the_retention()
    {
        var time = new FakeTimeProvider(Today);
        await using var log = new FileAuditLog(_directory, new AuditOptions { RetentionDays = 1 }, time);
        await log.AppendAsync([Entry(Today.AddDays(-1), "yesterday")], Ct);
        Assert.Equal(0, log.Prune());

        Assert.Single(Files());

        // The hourly run, not a call of the test, deletes it.
        time.Advance(TimeSpan.FromDays(1));

        Assert.Empty(Files());
    }

    [Theory]
    [InlineData(0, "Audit:RetentionDays is 0; allowed: 1 to 36500.")]
    [InlineData(36_501, "Audit:RetentionDays is 36501; allowed: 1 to 36500.")]
    public void A_retention_out_of_bounds_is_refused_naming_the_setting(int days, string problem)
    {
        var problems = new SettingProblems();

        AuditOptionsValidation.Check(new AuditOptions { RetentionDays = days }, problems);

        Assert.Equal([problem], problems.Found);
    }

    [Fact]
    public void The_default_keeps_two_years()
    {
        var problems = new SettingProblems();
        AuditOptionsValidation.Check(new AuditOptions(), problems);

        Assert.Empty(problems.Found);
        Assert.Equal(730, new AuditOptions().RetentionDays);
    }

    private string[] Files() => [.. Directory.GetFiles(_directory).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    private static AuditEntry Entry(DateTimeOffset time, string operation) =>
        new(time, "root", "127.0.0.1", operation, "88.709.911/X", "88.709.911", 1, string.Empty);
}
