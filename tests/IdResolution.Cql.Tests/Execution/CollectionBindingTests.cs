using System.Buffers;
using System.Collections;
using System.Collections.Immutable;
using System.Collections.ObjectModel;
using IdResolution.Cql.Execution;
using IdResolution.Cql.Protocol.Responses;
using IdResolution.Cql.Types;

namespace IdResolution.Cql.Tests.Execution;

/// <summary>Every collection type a caller is likely to pass, bound to list, set and map markers.</summary>
public sealed class CollectionBindingTests
{
    private static readonly CqlColumnType Text = CqlColumnType.Native(CqlColumnTypeCode.Varchar);
    private static readonly CqlColumnType Int = CqlColumnType.Native(CqlColumnTypeCode.Int);
    private static readonly CqlColumnType BigInt = CqlColumnType.Native(CqlColumnTypeCode.Bigint);

    private static CqlColumnType ListOf(CqlColumnType element) => new(CqlColumnTypeCode.List, [element]);

    private static CqlColumnType SetOf(CqlColumnType element) => new(CqlColumnTypeCode.Set, [element]);

    private static CqlColumnType MapOf(CqlColumnType key, CqlColumnType value) => new(CqlColumnTypeCode.Map, [key, value]);

    private static string Bound(object value, CqlColumnType type) => Convert.ToHexString(CqlValueEncoder.Encode(value, type).Bytes.Span);

    private static string Expected(Action<IBufferWriter<byte>> write)
    {
        var writer = new ArrayBufferWriter<byte>();
        write(writer);
        return Convert.ToHexString(writer.WrittenSpan);
    }

    private static readonly string TextList = Expected(w => CqlCodec.EncodeList(new[] { "a", "b" }, CqlCodec.EncodeText, w));
    private static readonly string IntSet = Expected(w => CqlCodec.EncodeSet(new[] { 7 }, CqlCodec.EncodeInt32, w));
    private static readonly string TextMap = Expected(w => CqlCodec.EncodeMap(new Dictionary<string, string> { ["k"] = "v" }, CqlCodec.EncodeText, CqlCodec.EncodeText, w));

    public static TheoryData<string, object> TextLists => new()
    {
        { "List<string>", new List<string> { "a", "b" } },
        { "string[]", new[] { "a", "b" } },
        { "IReadOnlyList<string>", (IReadOnlyList<string>)new ReadOnlyCollection<string>(["a", "b"]) },
        { "ImmutableArray<string>", ImmutableArray.Create("a", "b") },
        { "ArrayList", new ArrayList { "a", "b" } },
    };

    public static TheoryData<string, object> IntSets => new()
    {
        { "HashSet<int>", new HashSet<int> { 7 } },
        { "int[]", new[] { 7 } },
        { "List<int>", new List<int> { 7 } },
        { "SortedSet<int>", new SortedSet<int> { 7 } },
        { "ImmutableHashSet<int>", ImmutableHashSet.Create(7) },
    };

    public static TheoryData<string, object> TextMaps => new()
    {
        { "Dictionary<string, string>", new Dictionary<string, string> { ["k"] = "v" } },
        { "IReadOnlyDictionary<string, string>", (IReadOnlyDictionary<string, string>)new ReadOnlyDictionary<string, string>(new Dictionary<string, string> { ["k"] = "v" }) },
        { "IReadOnlyDictionary<string, string> that is no IDictionary", new PairsOnly(new() { ["k"] = "v" }) },
        { "SortedDictionary<string, string>", new SortedDictionary<string, string> { ["k"] = "v" } },
        { "ImmutableDictionary<string, string>", ImmutableDictionary<string, string>.Empty.Add("k", "v") },
        { "List<KeyValuePair<string, string>>", new List<KeyValuePair<string, string>> { new("k", "v") } },
        { "Hashtable", new Hashtable { ["k"] = "v" } },
    };

    [Theory]
    [MemberData(nameof(TextLists), DisableDiscoveryEnumeration = true)]
    public void A_list_binds_from(string kind, object value) => Assert.True(TextList == Bound(value, ListOf(Text)), kind);

    [Theory]
    [MemberData(nameof(TextLists), DisableDiscoveryEnumeration = true)]
    public void A_set_of_text_binds_from_the_same_sequences(string kind, object value) => Assert.True(TextList == Bound(value, SetOf(Text)), kind);

    [Theory]
    [MemberData(nameof(IntSets), DisableDiscoveryEnumeration = true)]
    public void A_set_binds_from(string kind, object value) => Assert.True(IntSet == Bound(value, SetOf(Int)), kind);

    [Theory]
    [MemberData(nameof(TextMaps), DisableDiscoveryEnumeration = true)]
    public void A_map_binds_from(string kind, object value) => Assert.True(TextMap == Bound(value, MapOf(Text, Text)), kind);

    [Fact]
    public void A_map_of_bigints_and_a_map_of_lists_bind_element_by_element()
    {
        Assert.Equal(
            Expected(w => CqlCodec.EncodeMap(new Dictionary<string, long> { ["n"] = 5 }, CqlCodec.EncodeText, CqlCodec.EncodeInt64, w)),
            Bound(new Dictionary<string, long> { ["n"] = 5 }, MapOf(Text, BigInt)));
        Assert.Equal(
            Expected(w => CqlCodec.EncodeMap(
                new Dictionary<int, string[]> { [1] = ["x"] },
                CqlCodec.EncodeInt32,
                (items, output) => CqlCodec.EncodeList(items, CqlCodec.EncodeText, output),
                w)),
            Bound(new Dictionary<int, List<string>> { [1] = ["x"] }, MapOf(Int, ListOf(Text))));
    }

    [Fact]
    public void Nulls_inside_collections_and_non_maps_are_refused_with_a_reason()
    {
        Assert.Contains("null", Assert.Throws<ArgumentException>(() => Bound(new Dictionary<string, string?> { ["k"] = null }, MapOf(Text, Text))).Message, StringComparison.Ordinal);
        Assert.Contains("null", Assert.Throws<ArgumentException>(() => Bound(new List<string?> { null }, ListOf(Text))).Message, StringComparison.Ordinal);
        Assert.Contains("not a map", Assert.Throws<ArgumentException>(() => Bound(new List<string> { "a" }, MapOf(Text, Text))).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Bound("text", MapOf(Text, Text)));
    }

    /// <summary>A read-only dictionary that is only a sequence of pairs, as user types often are.</summary>
    private sealed class PairsOnly(Dictionary<string, string> inner) : IReadOnlyDictionary<string, string>
    {
        public int Count => inner.Count;

        public IEnumerable<string> Keys => inner.Keys;

        public IEnumerable<string> Values => inner.Values;

        public string this[string key] => inner[key];

        public bool ContainsKey(string key) => inner.ContainsKey(key);

        public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out string value) => inner.TryGetValue(key, out value);

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => inner.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
