using IdResolution.Core.Storage;
using IdResolution.StoreContract;

namespace IdResolution.Storage.Embedded.Tests;

/// <summary>The shared store contract, run against RocksDB in a directory of its own per test.</summary>
public sealed class RocksDbStoreContractTests : HandleStoreContract
{
    private readonly TempStoreDirectory _directory = new();

    protected override ValueTask<IHandleStore> OpenStoreAsync() =>
        ValueTask.FromResult<IHandleStore>(RocksDbHandleStore.Open(_directory.Options));

    protected override ValueTask DeleteStoreAsync()
    {
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }
}
