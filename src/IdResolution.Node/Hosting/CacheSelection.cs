using System.Diagnostics.Metrics;
using IdResolution.Caching.Redis;
using IdResolution.Core.Caching;
using IdResolution.Core.Telemetry;
using IdResolution.Node.Settings;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IdResolution.Node.Hosting;

/// <summary>
/// Adds the shared Redis tier behind the in-process cache when <c>Redis:Configuration</c> is set;
/// without it the node caches in its own memory only, as a single instance needs.
/// </summary>
internal static class CacheSelection
{
    public static string Describe(IConfiguration configuration) =>
        configuration[$"{RedisCacheOptions.SectionName}:Configuration"] is { Length: > 0 } redis ? $"in-process + Redis ({RedisEndpoints(redis)})" : "in-process";

    public static void AddSharedCache(this IServiceCollection services, IConfiguration configuration, IHealthChecksBuilder health, string tag)
    {
        services.AddSettings<RedisCacheOptions>(configuration, RedisCacheOptions.SectionName, RedisCacheOptionsValidation.Check);
        if (string.IsNullOrWhiteSpace(configuration[$"{RedisCacheOptions.SectionName}:Configuration"]))
        {
            return;
        }

        services.AddSingleton(sp => RedisRecordCache.Connect(
            sp.GetRequiredService<RedisCacheOptions>(),
            sp.GetRequiredService<NodeMetrics>(),
            sp.GetRequiredService<IMeterFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("IdResolution.Redis")));
        services.AddSingleton<ISharedRecordCache>(sp => sp.GetRequiredService<RedisRecordCache>());

        // Degraded, not unhealthy: without its cache the node still answers, from the store.
        health.AddCheck<RedisHealthCheck>("redis", tags: [tag]);
    }

    // The configuration string may carry a password; only the endpoints are shown, as the client parses them.
    private static string RedisEndpoints(string configuration) =>
        string.Join(',', StackExchange.Redis.ConfigurationOptions.Parse(configuration).EndPoints);

    private sealed class RedisHealthCheck(RedisRecordCache cache) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(cache.Circuit == Polly.CircuitBreaker.CircuitState.Closed && cache.IsConnected
                ? HealthCheckResult.Healthy("Redis answering")
                : HealthCheckResult.Degraded($"Redis {(cache.IsConnected ? "connected" : "not connected")}, circuit {cache.Circuit}: resolving from the store"));
    }
}
