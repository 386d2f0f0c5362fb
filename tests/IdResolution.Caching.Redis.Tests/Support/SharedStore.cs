using IdResolution.Core.Caching;
using IdResolution.Core.Storage;
using IdResolution.Storage.Embedded;

namespace IdResolution.Caching.Redis.Tests.Support;

/// <summary>
/// One real RocksDB store in a temporary directory, that several node instances use as their
/// store of record. The instances started through it are disposed with it.
/// </summary>
internal sealed class SharedStore : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("idres-store-").FullName;
    private readonly List<TieredInstance> _instances = [];

    public SharedStore() => Store = RocksDbHandleStore.Open(new EmbeddedStoreOptions { Path = _directory });

    public IHandleStore Store { get; }

    public TieredInstance StartInstance(string redisConfiguration, string scope, Action<RedisCacheOptions>? redis = null, CacheOptions? cache = null)
    {
        var instance = TieredInstance.Start(this, redisConfiguration, scope, redis, cache);
        _instances.Add(instance);
        return instance;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        await Store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
