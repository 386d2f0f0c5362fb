using IdResolution.Core.Storage;
using IdResolution.StoreContract;
using Microsoft.Extensions.Time.Testing;

namespace IdResolution.Storage.Embedded.Tests;

/// <summary>The shared store contract, run against RocksDB in a directory of its own per test, on a clock of the test's.</summary>
public sealed class RocksDbStoreContractTests : HandleStoreContract
{
    private readonly TempStoreDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 10, 20, 0, TimeSpan.Zero));

    protected override ValueTask<IHandleStore> OpenStoreAsync() =>
        ValueTask.FromResult<IHandleStore>(RocksDbHandleStore.Open(_directory.Options, new ChangeLogOptions(), _time));

    protected override ValueTask PassTimeAsync(TimeSpan span)
    {
        _time.Advance(span);
        return ValueTask.CompletedTask;
    }

    protected override ValueTask DeleteStoreAsync()
    {
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }
}
