namespace IdResolution.Storage.Embedded.Tests;

/// <summary>The engine is opened with the Bloom filters that make lookups of absent keys cheap.</summary>
public sealed class EngineOptionsTests : IDisposable
{
    private readonly TempStoreDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task The_store_opens_with_whole_key_bloom_filters_in_its_tables_and_memtables()
    {
        await using (var store = RocksDbHandleStore.Open(_directory.Options))
        {
            await store.CheckHealthAsync(TestContext.Current.CancellationToken);
        }

        // RocksDB records the options it runs with in an OPTIONS file beside the data.
        var options = await File.ReadAllTextAsync(Directory.GetFiles(_directory.Path, "OPTIONS-*").Order(StringComparer.Ordinal).Last(), TestContext.Current.CancellationToken);
        Assert.Matches(@"\bfilter_policy=bloomfilter\b", options);
        Assert.Matches(@"\swhole_key_filtering=true", options);
        Assert.Contains("memtable_whole_key_filtering=true", options, StringComparison.Ordinal);
        Assert.Matches(@"memtable_prefix_bloom_size_ratio=0\.020*\s", options);
    }
}
