using IdResolution.Core.Composition;

namespace IdResolution.Caching.Redis.Tests;

/// <summary>Each Redis setting out of its range is named with its full key and range; a configuration string is never echoed.</summary>
public sealed class RedisCacheOptionsValidationTests
{
    public static TheoryData<Action<RedisCacheOptions>, string> OutOfRange => new()
    {
        { o => o.KeyPrefix = " ", "Redis:KeyPrefix is ' '; allowed: a key prefix" },
        { o => o.Channel = string.Empty, "Redis:Channel is ''; allowed: a channel name" },
        { o => o.TimeoutMilliseconds = 0, "Redis:TimeoutMilliseconds is 0; allowed: 1 to 60000." },
        { o => o.InvalidationHoldMilliseconds = 1, "Redis:InvalidationHoldMilliseconds is 1; allowed: 2 to 600000." },
        { o => o.BreakerFailureRatio = 1.5, "Redis:BreakerFailureRatio is 1.5; allowed: 0.01 to 1." },
        { o => o.BreakerMinimumThroughput = 1, "Redis:BreakerMinimumThroughput is 1; allowed: 2 to 1000000." },
        { o => o.BreakerSamplingMilliseconds = 499, "Redis:BreakerSamplingMilliseconds is 499; allowed: 500 to 86400000." },
        { o => o.BreakerBreakMilliseconds = -1, "Redis:BreakerBreakMilliseconds is -1; allowed: 500 to 86400000." },
        { o => o.PendingInvalidationLimit = 0, "Redis:PendingInvalidationLimit is 0; allowed: 1 to 100000000." },
    };

    [Fact]
    public void The_defaults_and_a_configured_server_are_valid()
    {
        Assert.Empty(Problems(new RedisCacheOptions()));
        Assert.Empty(Problems(new RedisCacheOptions { Configuration = "10.0.0.5:6379,password=secret,ssl=true" }));
    }

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void A_setting_out_of_range_is_named_with_its_value_and_range(Action<RedisCacheOptions> change, string expected)
    {
        var options = new RedisCacheOptions();
        change(options);

        Assert.StartsWith(expected, Assert.Single(Problems(options)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.5:6379,password=secret,nonsense=1")]
    [InlineData("password=secret")]
    public void A_configuration_string_that_does_not_parse_is_named_without_its_password(string configuration)
    {
        var problem = Assert.Single(Problems(new RedisCacheOptions { Configuration = configuration }));

        Assert.StartsWith("Redis:Configuration is not valid", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", problem, StringComparison.Ordinal);
    }

    private static IReadOnlyList<string> Problems(RedisCacheOptions options)
    {
        var problems = new SettingProblems();
        RedisCacheOptionsValidation.Check(options, problems);
        return problems.Found;
    }
}
