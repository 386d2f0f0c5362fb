using IdResolution.Core.Composition;

namespace IdResolution.Core.Tests.Composition;

/// <summary>Each core setting out of its range is named with its full key, its value and the range; the defaults pass.</summary>
public sealed class CoreOptionsValidationTests
{
    public static TheoryData<string, Action<CoreOptions>, string> OutOfRange => new()
    {
        { "Identifiers:MaxPrefixBytes", o => o.Identifiers.MaxPrefixBytes = 0, "Identifiers:MaxPrefixBytes is 0; allowed: 1 to 255." },
        { "Identifiers:MaxHandleBytes", o => o.Identifiers.MaxHandleBytes = 68, "Identifiers:MaxHandleBytes is 68; allowed: 69 to 65535" },
        { "Records:MaxValuesPerRecord", o => o.Records.MaxValuesPerRecord = 0, "Records:MaxValuesPerRecord is 0; allowed: 1 to 100000." },
        { "Records:MaxRecordBytes", o => o.Records.MaxRecordBytes = 100, "Records:MaxRecordBytes is 100; allowed: 1024 to 67108864." },
        { "Records:MaxValueDataBytes", o => o.Records.MaxValueDataBytes = 300 * 1024, "Records:MaxValueDataBytes is 307200; allowed: 1 to Records:MaxRecordBytes (262144)." },
        { "Records:MaxTypeBytes", o => o.Records.MaxTypeBytes = -1, "Records:MaxTypeBytes is -1; allowed: 1 to 65535." },
        { "Records:MaxReferencesPerValue", o => o.Records.MaxReferencesPerValue = -1, "Records:MaxReferencesPerValue is -1; allowed: 0 to 100000." },
        { "Cache:MaxTtlSeconds", o => o.Cache.MaxTtlSeconds = -5, "Cache:MaxTtlSeconds is -5; allowed: 0 to 604800." },
        { "Cache:NotFoundTtlSeconds", o => o.Cache.NotFoundTtlSeconds = 86_401, "Cache:NotFoundTtlSeconds is 86401; allowed: 0 to 86400." },
        { "Cache:LocalMaxTtlSeconds", o => o.Cache.LocalMaxTtlSeconds = -1, "Cache:LocalMaxTtlSeconds is -1; allowed: 0 to 86400." },
        { "Cache:MaxEntries", o => o.Cache.MaxEntries = 0, "Cache:MaxEntries is 0; allowed: 1 to 100000000." },
        { "Registry:MaxWriteBatch", o => o.Registry.MaxWriteBatch = 0, "Registry:MaxWriteBatch is 0; allowed: 1 to 100000." },
        { "Registry:MaxResolveBatch", o => o.Registry.MaxResolveBatch = 0, "Registry:MaxResolveBatch is 0; allowed: 1 to 100000." },
        { "Registry:MaxPageSize", o => o.Registry.MaxPageSize = 0, "Registry:MaxPageSize is 0; allowed: 1 to 100000." },
        { "Registry:DefaultPageSize", o => o.Registry.DefaultPageSize = 2000, "Registry:DefaultPageSize is 2000; allowed: 1 to Registry:MaxPageSize (1000)." },
        { "Registry:MaxConflictRetries", o => o.Registry.MaxConflictRetries = -1, "Registry:MaxConflictRetries is -1; allowed: 0 to 1000." },
        { "Security:NodePrefix", o => o.Security.NodePrefix = "88 709", "Security:NodePrefix is '88 709'; allowed: a prefix such as 88.709" },
        { "Security:NodePrefix", o => o.Security.NodePrefix = "0.NA/88.709", "Security:NodePrefix is '0.NA/88.709'; allowed: a prefix" },
        { "Security:NodePrefix", o => o.Security.NodePrefix = "88..709", "Security:NodePrefix is '88..709'" },
        { "Security:NodePrefix", o => o.Security.NodePrefix = string.Empty, "Security:NodePrefix is ''" },
        { "Security:PasswordIterations", o => o.Security.PasswordIterations = 10, "Security:PasswordIterations is 10; allowed: 1000 to 100000000." },
        { "Store:StallMilliseconds", o => o.StoreStall.StallMilliseconds = -1, "Store:StallMilliseconds is -1; allowed: 0 to 60000." },
        { "Store:StallMilliseconds", o => o.StoreStall.StallMilliseconds = 60_001, "Store:StallMilliseconds is 60001; allowed: 0 to 60000." },
        { "Store:StallEvery", o => o.StoreStall.StallEvery = 0, "Store:StallEvery is 0; allowed: 1 to 2147483647." },
    };

    [Fact]
    public void The_defaults_are_valid() => Assert.Empty(Problems(new CoreOptions()));

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void A_setting_out_of_range_is_named_with_its_value_and_range(string key, Action<CoreOptions> change, string expected)
    {
        var options = new CoreOptions();
        change(options);

        var problem = Assert.Single(Problems(options));
        Assert.StartsWith(key + " is ", problem, StringComparison.Ordinal);
        Assert.StartsWith(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_node_prefix_longer_than_the_prefix_limit_is_refused()
    {
        var options = new CoreOptions();
        options.Identifiers.MaxPrefixBytes = 4;

        var problem = Assert.Single(Problems(options));
        Assert.Contains("Security:NodePrefix is '88.709'", problem, StringComparison.Ordinal);
        Assert.Contains("at most Identifiers:MaxPrefixBytes (4) bytes", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var options = new CoreOptions();
        options.Cache.MaxTtlSeconds = -5;
        options.Registry.MaxPageSize = 0;

        Assert.Equal(2, Problems(options).Count);
    }

    private static IReadOnlyList<string> Problems(CoreOptions options)
    {
        var problems = new SettingProblems();
        CoreOptionsValidation.Check(options, problems);
        return problems.Found;
    }
}
