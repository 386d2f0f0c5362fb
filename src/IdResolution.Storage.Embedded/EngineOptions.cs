using RocksDbSharp;

namespace IdResolution.Storage.Embedded;

/// <summary>
/// How the engine is opened. Most lookups of a busy node are for keys that do not exist yet: every create
/// reads its key twice (the registrar's multi-get, then the writer loop's compare-and-set), and so does a
/// resolution of an unknown handle. Whole-key Bloom filters in the table files and the memtables answer
/// those without searching each level, so a miss no longer costs a block read per file and a skip-list walk.
/// Filters change how keys are found, not what is stored; files written without them still read as before.
/// </summary>
internal static class EngineOptions
{
    // ~1% false positives: the usual setting, about 1.25 bytes of filter per key.
    private const int BitsPerKey = 10;

    // Share of each memtable's size given to its filter.
    private const double MemtableFilterRatio = 0.02;

    public static DbOptions Create()
    {
        var table = new BlockBasedTableOptions()
            .SetFilterPolicy(BloomFilterPolicy.Create(BitsPerKey, false))
            .SetWholeKeyFiltering(true);
        var options = new DbOptions()
            .SetCreateIfMissing(true)
            .SetBlockBasedTableFactory(table)
            .SetMemtablePrefixBloomSizeRatio(MemtableFilterRatio);
        Native.Instance.rocksdb_options_set_memtable_whole_key_filtering(options.Handle, 1);
        return options;
    }
}
