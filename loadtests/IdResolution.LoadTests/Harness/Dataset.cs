using IdResolution.Contracts.V1;

namespace IdResolution.LoadTests.Harness;

/// <summary>
/// The identifiers a run resolves: <c>Count</c> handles spread over 100 enterprise prefixes under the node's
/// prefix (88.709.100 to 88.709.199 by default), each with 3 to 8 values (a URL first), drawn with Zipf popularity
/// (s = 1: the most popular handle is asked for twice as often as the second), as supply-chain codes are.
/// </summary>
internal sealed class Dataset
{
    public const int Prefixes = 100;

    private readonly double[] _cumulative;
    private readonly string _nodePrefix;

    public Dataset(int count, string nodePrefix = "88.709", double exponent = 1.0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentException.ThrowIfNullOrEmpty(nodePrefix);
        Count = count;
        _nodePrefix = nodePrefix;
        _cumulative = new double[count];
        var sum = 0.0;
        for (var rank = 0; rank < count; rank++)
        {
            sum += 1.0 / Math.Pow(rank + 1, exponent);
            _cumulative[rank] = sum;
        }

        for (var rank = 0; rank < count; rank++)
        {
            _cumulative[rank] /= sum;
        }
    }

    public int Count { get; }

    public string Handle(long index) => $"{_nodePrefix}.{100 + (index % Prefixes)}/ITEM-{index:D8}";

    /// <summary>A handle drawn by popularity; ranks are scattered over the prefixes so every enterprise has popular codes.</summary>
    public string Draw(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var rank = Array.BinarySearch(_cumulative, random.NextDouble());
        rank = rank < 0 ? ~rank : rank;
        return Handle(Math.Min(rank, Count - 1));
    }

    /// <summary>A uniform draw, for the cold scenario.</summary>
    public string DrawUniform(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return Handle(random.Next(Count));
    }

    /// <summary>The values of handle <paramref name="index"/>: a URL, an EMAIL, then DESC/GTIN/LOT/... up to 3–8 in all.</summary>
    public static CreateHandleRequest Create(string handle, long index, bool overwrite = false)
    {
        string[] types = ["URL", "EMAIL", "DESC", "GTIN", "LOT", "ORIGIN", "BATCH", "NOTE"];
        var request = new CreateHandleRequest { Handle = handle, Overwrite = overwrite };
        var values = 3 + (int)(index % 6);
        for (var v = 0; v < values; v++)
        {
            var text = v == 0 ? $"https://products.example.org/{handle}" : v == 1 ? "quality@example.org" : $"{types[v]} of item {index}";
            request.Values.Add(new HandleValue { Index = (uint)(v + 1), Type = types[v], Data = new ValueData { StringValue = text }, TtlSeconds = 86400 });
        }

        return request;
    }
}
