using System.Text.Json;
using IdResolution.Core.Security;

namespace IdResolution.Audit.Tests;

/// <summary>The file audit trail on a real directory: durable appends, day files, queries by prefix and time.</summary>
public sealed class FileAuditLogTests : IDisposable
{
    private static readonly DateTimeOffset Day = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "idres-audit-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Appended_entries_are_in_the_day_file_when_the_append_returns()
    {
        await using var log = new FileAuditLog(_directory);
        await log.AppendAsync([Entry(Day.AddHours(1), "88.709.911", "create")], CancellationToken.None);

        var file = Path.Combine(_directory, "audit-2026-12-01.jsonl");
        var line = Assert.Single(await File.ReadAllLinesAsync(file, TestContext.Current.CancellationToken));
        Assert.Contains("\"operation\":\"create\"", line, StringComparison.Ordinal);
        Assert.Contains("\"prefix\":\"88.709.911\"", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_appends_all_land_and_a_new_log_reads_them_back()
    {
        await using (var log = new FileAuditLog(_directory))
        {
            await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
                log.AppendAsync([Entry(Day.AddMinutes(i), i % 2 == 0 ? "88.709.911" : "88.709.912", "op-" + i)], CancellationToken.None).AsTask()));
        }

        await using var reopened = new FileAuditLog(_directory);
        var all = await reopened.QueryAsync(null, Day, Day.AddDays(1), 1000, CancellationToken.None);
        Assert.Equal(200, all.Count);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => "op-" + i).Order(StringComparer.Ordinal), all.Select(e => e.Operation).Order(StringComparer.Ordinal));
        var one = await reopened.QueryAsync("88.709.912", Day, Day.AddDays(1), 1000, CancellationToken.None);
        Assert.Equal(100, one.Count);
        Assert.All(one, e => Assert.Equal("88.709.912", e.Prefix));
    }

    [Fact]
    public async Task Queries_keep_to_the_time_range_and_the_limit_across_day_files()
    {
        await using var log = new FileAuditLog(_directory);
        await log.AppendAsync([Entry(Day.AddHours(23), "88.709.911", "late"), Entry(Day.AddDays(1).AddHours(1), "88.709.911", "next-day"), Entry(Day.AddDays(2), "88.709.911", "outside")], CancellationToken.None);

        var range = await log.QueryAsync(null, Day.AddHours(12), Day.AddDays(2), 10, CancellationToken.None);
        Assert.Equal(["late", "next-day"], range.Select(e => e.Operation));
        Assert.Single(await log.QueryAsync(null, Day, Day.AddDays(3), 1, CancellationToken.None));
        Assert.Equal(2, Directory.GetFiles(_directory, "audit-*.jsonl").Length - 1);
    }

    [Fact]
    public async Task A_torn_last_line_is_skipped_and_an_entry_appended_after_it_starts_a_line_of_its_own()
    {
        await using (var log = new FileAuditLog(_directory))
        {
            await log.AppendAsync([Entry(Day.AddHours(1), "88.709.911", "kept")], CancellationToken.None);
        }

        // As a crash in the middle of an append leaves it: no newline at the end.
        await File.AppendAllTextAsync(Path.Combine(_directory, "audit-2026-12-01.jsonl"), "{\"time\":\"2026-12-01T02:00", TestContext.Current.CancellationToken);
        await using var reopened = new FileAuditLog(_directory);
        var entries = await reopened.QueryAsync(null, Day, Day.AddDays(1), 10, CancellationToken.None);
        Assert.Equal("kept", Assert.Single(entries).Operation);

        await reopened.AppendAsync([Entry(Day.AddHours(3), "88.709.911", "after-the-crash")], CancellationToken.None);
        entries = await reopened.QueryAsync(null, Day, Day.AddDays(1), 10, CancellationToken.None);
        Assert.Equal(["kept", "after-the-crash"], entries.Select(e => e.Operation));
    }

    [Fact]
    public async Task A_group_spanning_midnight_writes_each_entry_as_the_serializer_would_into_its_own_day_file_in_order()
    {
        var entries = new[]
        {
            Entry(Day.AddHours(23), "88.709.911", "before"),
            Entry(Day.AddDays(1).AddMinutes(1), "88.709.911", "after") with { Message = "naïve \"quoted\" <tag> \u00e9\u4e2d" },
            Entry(Day.AddHours(23).AddMinutes(59), "88.709.912", "late"),
        };
        await using (var log = new FileAuditLog(_directory))
        {
            await log.AppendAsync(entries, CancellationToken.None);
        }

        var first = await File.ReadAllTextAsync(Path.Combine(_directory, "audit-2026-12-01.jsonl"), TestContext.Current.CancellationToken);
        var second = await File.ReadAllTextAsync(Path.Combine(_directory, "audit-2026-12-02.jsonl"), TestContext.Current.CancellationToken);
        Assert.Equal(Line(entries[0]) + Line(entries[2]), first);
        Assert.Equal(Line(entries[1]), second);
    }

    private static string Line(AuditEntry entry) => JsonSerializer.Serialize(entry, AuditJson.Default.AuditEntry) + "\n";

    internal static AuditEntry Entry(DateTimeOffset time, string prefix, string operation) =>
        new(time, "acme", "127.0.0.1", operation, prefix + "/x", prefix, 1, string.Empty);
}
