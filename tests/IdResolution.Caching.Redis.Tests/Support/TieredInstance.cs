using System.Diagnostics;
using System.Text;
using IdResolution.Core;
using IdResolution.Core.Caching;
using IdResolution.Core.Records;
using IdResolution.Core.Registration;
using IdResolution.Core.Resolution;
using IdResolution.Core.Security;
using IdResolution.Core.Telemetry;
using Microsoft.Extensions.Logging.Abstractions;
using IdResolution.Core.Composition;

namespace IdResolution.Caching.Redis.Tests.Support;

/// <summary>
/// One node instance as the host composes it when Redis is configured: its own in-process tier and
/// Redis connection, over the store it shares with the other instances.
/// </summary>
internal sealed class TieredInstance : IAsyncDisposable
{
    private TieredInstance(SharedStore store, RedisCacheOptions redis, CacheOptions cache)
    {
        Store = new CountingStore(store.Store);
        Redis = RedisRecordCache.Connect(redis, Metrics, null, TimeProvider.System, NullLogger.Instance);
        Core = new CoreServices(Store, new RecordingAuditLog(), new CoreOptions { Cache = cache, Security = new SecurityOptions { PasswordIterations = 1000 } }, TimeProvider.System, Metrics, shared: Redis);
    }

    public NodeMetrics Metrics { get; } = NodeMetrics.CreateStandalone();

    public CountingStore Store { get; }

    public RedisRecordCache Redis { get; }

    public CoreServices Core { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Generous Redis timeouts unless a test says otherwise: two cores run the whole suite in
    /// parallel, and a test about invalidation must not turn into a test about the breaker.
    /// </summary>
    public static TieredInstance Start(SharedStore store, string redisConfiguration, string scope, Action<RedisCacheOptions>? redis = null, CacheOptions? cache = null)
    {
        var options = new RedisCacheOptions
        {
            Configuration = redisConfiguration,
            KeyPrefix = $"{scope}:h:",
            Channel = $"{scope}:invalidations",
            TimeoutMilliseconds = 1000,
        };
        redis?.Invoke(options);
        return new TieredInstance(store, options, cache ?? new CacheOptions());
    }

    /// <summary>A key scope per test, so tests sharing a Redis never see each other's keys or messages.</summary>
    public static string NewScope() => "t" + Guid.NewGuid().ToString("N")[..12];

    public static HandleValue Url(string url) => new() { Index = 1, Type = WellKnownTypes.Url, Data = Encoding.UTF8.GetBytes(url) };

    public async Task<Outcome<Resolution>> ResolveAsync(string handle) =>
        await Core.Resolver.ResolveAsync(Caller.Anonymous("127.0.0.1"), handle, ValueFilter.All, authoritative: false, Ct);

    /// <summary>The URL the handle resolves to here, or null when it does not resolve.</summary>
    public async Task<string?> UrlAsync(string handle)
    {
        var outcome = await ResolveAsync(handle);
        return outcome.IsSuccess ? Encoding.UTF8.GetString(outcome.Value!.Values.Single(v => v.Index == 1).Data.Span) : null;
    }

    public async Task CreateAsync(string handle, string url)
    {
        var outcome = await Core.Registrar.CreateAsync(TestCallers.Administrator, new CreateRequest(handle, [Url(url)]), Ct);
        Assert.True(outcome.IsSuccess, $"create {handle}: {outcome.Code} {outcome.Message}");
    }

    public async Task ModifyAsync(string handle, string url)
    {
        var outcome = await Core.Registrar.ModifyValuesAsync(TestCallers.Administrator, handle, [Url(url)], Ct);
        Assert.True(outcome.IsSuccess, $"modify {handle}: {outcome.Code} {outcome.Message}");
    }

    public async Task UpdateBatchAsync(IReadOnlyList<string> handles, string url)
    {
        var outcomes = await Core.Registrar.UpdateBatchAsync(TestCallers.Administrator, [.. handles.Select(h => new UpdateRequest(h, [Url(url)], []))], Ct);
        Assert.All(outcomes, outcome => Assert.True(outcome.IsSuccess, $"{outcome.Code} {outcome.Message}"));
    }

    /// <summary>Polls until every handle resolves to <paramref name="url"/> here, failing once <paramref name="bound"/> has passed since <paramref name="since"/>.</summary>
    public async Task AssertResolvesWithinAsync(IReadOnlyList<string> handles, string url, Stopwatch since, TimeSpan bound)
    {
        var stale = handles.ToList();
        while (stale.Count > 0)
        {
            Assert.True(since.Elapsed < bound, $"{stale.Count} handles (first {stale[0]}) still not {url} after {since.Elapsed.TotalMilliseconds:F0} ms");
            var seen = new List<string>();
            foreach (var handle in stale)
            {
                if (await UrlAsync(handle) == url)
                {
                    seen.Add(handle);
                }
            }

            stale.RemoveAll(seen.Contains);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Core.Dispose();
        await Redis.DisposeAsync();
        Metrics.Dispose();
    }
}
