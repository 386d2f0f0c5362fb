using IdResolution.Core.Storage;
using IdResolution.Storage.Embedded.Tests.Disks;

namespace IdResolution.Audit.Tests;

/// <summary>The file audit trail on a real 1 MiB tmpfs that fills up, and is freed again.</summary>
public sealed class FileAuditLogDiskFullTests
{
    private static readonly DateTimeOffset Day = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_full_disk_refuses_appends_leaves_no_half_line_and_appends_resume_when_space_returns()
    {
        using var disk = SmallFilesystem.MountOrSkip(1);
        var directory = Path.Combine(disk.Path, "audit");
        await using var log = new FileAuditLog(directory);
        await log.AppendAsync([FileAuditLogTests.Entry(Day.AddHours(1), "88.709.911", "before")], CancellationToken.None);
        var file = Path.Combine(directory, "audit-2026-12-01.jsonl");

        disk.Fill();

        // The file's last page may still take an entry or two; each one that is taken is complete.
        var appended = new List<string> { "before" };
        DiskFullException? full = null;
        for (var i = 0; i < 100 && full is null; i++)
        {
            var length = new FileInfo(file).Length;
            try
            {
                await log.AppendAsync([FileAuditLogTests.Entry(Day.AddHours(2), "88.709.911", "while-full-" + i)], CancellationToken.None);
                appended.Add("while-full-" + i);
            }
            catch (DiskFullException exception)
            {
                full = exception;
                Assert.Equal(length, new FileInfo(file).Length);
            }
        }

        Assert.NotNull(full);
        Assert.Contains("audit trail's disk is full", full.Message, StringComparison.Ordinal);
        Assert.Equal(appended, (await log.QueryAsync(null, Day, Day.AddDays(1), 1000, CancellationToken.None)).Select(e => e.Operation));

        disk.Free();
        await log.AppendAsync([FileAuditLogTests.Entry(Day.AddHours(3), "88.709.911", "after")], CancellationToken.None);
        Assert.Equal([.. appended, "after"], (await log.QueryAsync(null, Day, Day.AddDays(1), 1000, CancellationToken.None)).Select(e => e.Operation));
    }
}
