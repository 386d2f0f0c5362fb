namespace IdResolution.Node.Hosting;

/// <summary>Which store of record the node uses (configuration section <c>Store</c>; <c>Store:Path</c> is the embedded store's).</summary>
internal sealed class StoreOptions
{
    public const string Section = "Store";
    public const string Embedded = "Embedded";
    public const string Cassandra = "Cassandra";

    public string Kind { get; set; } = Embedded;
}
