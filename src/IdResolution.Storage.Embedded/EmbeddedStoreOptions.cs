namespace IdResolution.Storage.Embedded;

/// <summary>Settings of the embedded store (configuration section <c>Store</c>).</summary>
public sealed class EmbeddedStoreOptions
{
    public const string SectionName = "Store";

    /// <summary>
    /// Directory that holds the database; created when missing. RocksDB locks it, so exactly one
    /// process serves it, which is what lets a single writer make compare-and-set exact.
    /// </summary>
    public string Path { get; set; } = "./data";
}
