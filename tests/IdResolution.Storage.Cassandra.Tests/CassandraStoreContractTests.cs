using IdResolution.Core.Storage;
using IdResolution.StoreContract;
using Microsoft.Extensions.Time.Testing;

namespace IdResolution.Storage.Cassandra.Tests;

/// <summary>
/// The shared store contract, run against the Cassandra store's own logic over an in-memory stand-in
/// for the cluster (<see cref="FakeCassandra"/>), on a clock of the test's: the change log's settle window
/// and the leases' TTLs pass when the test says. It proves the statements, their order and the outcome
/// mapping keep the contract; it does not prove Cassandra answers as the stand-in does (the live run does).
/// </summary>
public sealed class CassandraStoreContractTests : HandleStoreContract
{
    private static readonly CassandraChangeLogOptions ChangeLog = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 10, 20, 0, TimeSpan.Zero));
    private readonly FakeCassandra _cluster;

    public CassandraStoreContractTests() => _cluster = new FakeCassandra(_time);

    protected override bool ChangeLogKeepsEveryChange => false;

    protected override bool DumpIsSnapshot => false;

    protected override async ValueTask<IHandleStore> OpenStoreAsync() =>
        await CassandraHandleStore.OpenAsync(_cluster.OpenSession(), new CassandraStoreOptions { LocalDataCenter = "dc1", ListingBuckets = 8 }, ChangeLog, _time,
            TestContext.Current.CancellationToken);

    protected override ValueTask SettleChangesAsync(IHandleStore store)
    {
        _time.Advance(TimeSpan.FromMilliseconds(ChangeLog.SettleMilliseconds + 1));
        return ValueTask.CompletedTask;
    }

    protected override ValueTask PassTimeAsync(TimeSpan span)
    {
        _time.Advance(span);
        return ValueTask.CompletedTask;
    }
}
