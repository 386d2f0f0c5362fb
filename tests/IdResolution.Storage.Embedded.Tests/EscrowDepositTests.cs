using IdResolution.Core.Duties;
using IdResolution.Core.Records;
using IdResolution.Core.Storage;
using IdResolution.Core.Telemetry;
using Microsoft.Extensions.Time.Testing;

namespace IdResolution.Storage.Embedded.Tests;

/// <summary>
/// The child's side of the escrow over the embedded store's real change log and retention: how far behind the
/// parent is, from the position it last read after, and the warning an hour before retention drops entries
/// the parent has not applied (and once it has).
/// </summary>
public sealed class EscrowDepositTests : IDisposable
{
    private const string Prefix = "88.709.911";
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 10, 20, 0, TimeSpan.Zero);
    private readonly TempStoreDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(Start);
    private readonly NodeMetrics _metrics = NodeMetrics.CreateStandalone();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _metrics.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task Before_the_parent_reads_there_is_no_lag_and_no_warning()
    {
        await using var store = RocksDbHandleStore.Open(_directory.Options, new ChangeLogOptions { RetentionHours = 1 }, _time);
        await WriteAsync(store, 3);

        var status = await new EscrowDeposit(store, store, store, _time, _metrics).ReadStatusAsync(Ct);

        Assert.Equal(DepositStatus.NeverRead, status);
    }

    [Fact]
    public async Task The_lag_counts_the_entries_after_the_parents_position_and_the_age_of_the_oldest()
    {
        await using var store = RocksDbHandleStore.Open(_directory.Options, new ChangeLogOptions { RetentionHours = 3 }, _time);
        await WriteAsync(store, 2);
        _time.Advance(TimeSpan.FromMinutes(5));
        await WriteAsync(store, 3, from: 2);
        _time.Advance(TimeSpan.FromMinutes(2));
        var deposit = new EscrowDeposit(store, store, store, _time, _metrics);

        await deposit.RecordAppliedAsync(2, Ct);
        var status = await deposit.ReadStatusAsync(Ct);

        Assert.Equal(new DepositStatus(2, 3, 120, AtRisk: false), status);
        Assert.Equal(status, deposit.Last);
    }

    [Fact]
    public async Task Retention_about_to_drop_unapplied_entries_warns_an_hour_ahead_and_says_so_once_they_are_gone()
    {
        await using var store = RocksDbHandleStore.Open(_directory.Options, new ChangeLogOptions { RetentionHours = 2 }, _time);
        await WriteAsync(store, 4);
        var deposit = new EscrowDeposit(store, store, store, _time, _metrics);
        await deposit.RecordAppliedAsync(1, Ct);

        // Entries 2-4 go two hours after they were written: no warning at 50 minutes, a warning at 70.
        _time.Advance(TimeSpan.FromMinutes(50));
        Assert.False((await deposit.ReadStatusAsync(Ct)).AtRisk);
        _time.Advance(TimeSpan.FromMinutes(20));
        Assert.True((await deposit.ReadStatusAsync(Ct)).AtRisk);

        // A parent that has applied everything is never at risk.
        await deposit.RecordAppliedAsync(4, Ct);
        Assert.False((await deposit.ReadStatusAsync(Ct)).AtRisk);

        await deposit.RecordAppliedAsync(1, Ct);
        _time.Advance(TimeSpan.FromMinutes(60));
        await store.TrimChangesAsync();
        var gone = await deposit.ReadStatusAsync(Ct);
        Assert.True(gone.AtRisk);
        Assert.True(gone.Trimmed);
    }

    private static async Task WriteAsync(RocksDbHandleStore store, int count, int from = 0)
    {
        foreach (var i in Enumerable.Range(from, count))
        {
            var key = $"{Prefix}/ESCROW-{i:D2}";
            await store.WriteAsync([StoreWrite.Create(key, new HandleRecord(key, [], 10 + i))], Ct);
        }
    }
}
