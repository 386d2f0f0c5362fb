using IdResolution.Core.Composition;
using StackExchange.Redis;

namespace IdResolution.Caching.Redis;

/// <summary>The allowed ranges of the <c>Redis</c> settings; the circuit breaker's are Polly's own limits.</summary>
public static class RedisCacheOptionsValidation
{
    public static void Check(RedisCacheOptions options, SettingProblems problems)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(problems);
        const string section = RedisCacheOptions.SectionName;
        if (options.IsEnabled && !Parses(options.Configuration!))
        {
            problems.AddSecret($"{section}:Configuration", "a StackExchange.Redis configuration string naming at least one endpoint, such as 10.0.0.5:6379,ssl=true");
        }

        problems.Required($"{section}:KeyPrefix", options.KeyPrefix, "a key prefix such as idres:h:");
        problems.Required($"{section}:Channel", options.Channel, "a channel name such as idres:invalidations");
        problems.Range($"{section}:TimeoutMilliseconds", options.TimeoutMilliseconds, 1, 60_000);
        problems.Range($"{section}:InvalidationHoldMilliseconds", options.InvalidationHoldMilliseconds, 2, 600_000);
        problems.Range($"{section}:BreakerFailureRatio", options.BreakerFailureRatio, 0.01, 1);
        problems.Range($"{section}:BreakerMinimumThroughput", options.BreakerMinimumThroughput, 2, 1_000_000);
        problems.Range($"{section}:BreakerSamplingMilliseconds", options.BreakerSamplingMilliseconds, 500, 86_400_000);
        problems.Range($"{section}:BreakerBreakMilliseconds", options.BreakerBreakMilliseconds, 500, 86_400_000);
        problems.Range($"{section}:PendingInvalidationLimit", options.PendingInvalidationLimit, 1, 100_000_000);
    }

    private static bool Parses(string configuration)
    {
        try
        {
            return ConfigurationOptions.Parse(configuration).EndPoints.Count > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
