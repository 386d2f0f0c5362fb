using System.Diagnostics;
using IdResolution.Caching.Redis;
using IdResolution.Caching.Redis.Tests.Infrastructure;
using IdResolution.Core.Caching;
using IdResolution.Core.Resolution;
using IdResolution.Core.Security;
using IdResolution.Core.Telemetry;
using Microsoft.Extensions.Logging.Abstractions;
using IdResolution.Core.Composition;

namespace IdResolution.LoadTests;

/// <summary>
/// Runs one scenario on a core of its own over the shared store: fills the tier under test with
/// every handle, checks that it holds them (and that the tiers meant to be off hold nothing), then
/// puts the load on it and checks again that the expected tier answered.
/// </summary>
internal sealed class ScenarioRunner(SeededStore seeded, BenchOptions options, RedisServer? redis)
{
    private static readonly Caller Client = Caller.Anonymous("127.0.0.1");
    private static readonly TimeSpan RedisFillDeadline = TimeSpan.FromSeconds(30);

    public async Task<ScenarioResult> RunAsync(CacheScenario scenario, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var cache = scenario.Cache();
        using var metrics = NodeMetrics.CreateStandalone();
        using var counters = new TierCounters();
        using var local = new InProcessRecordCache(cache, TimeProvider.System, metrics);
        await using var shared = scenario.UsesRedis ? ConnectRedis(metrics) : null;
        using var core = new CoreServices(seeded.Store, seeded.Audit, new CoreOptions { Cache = cache }, TimeProvider.System, metrics, local, shared);
        var notes = new List<string>();
        var warnings = new List<string>();

        long primingFailures = 0;
        if (scenario.Expected != ServingTier.Store)
        {
            primingFailures = await PrimeAsync(core.Resolver, cancellationToken);
        }

        await CheckTiersAsync(scenario, local, primingFailures > 0, notes, warnings, cancellationToken);

        var before = counters.Read();
        var sample = await new LoadGenerator(core.Resolver, seeded.Handles, options.Concurrency).RunAsync(options.Warmup, options.Measured, cancellationToken);
        var served = counters.Read() - before;
        CheckServed(scenario, served, warnings);
        if (scenario.Expected == ServingTier.InProcess && local.Count != seeded.Handles.Count)
        {
            warnings.Add($"the in-process tier held {local.Count} of {seeded.Handles.Count} handles after the run");
        }

        return new ScenarioResult(scenario, sample, primingFailures, served, notes, warnings);
    }

    private RedisRecordCache ConnectRedis(NodeMetrics metrics)
    {
        var server = redis ?? throw new InvalidOperationException("the Redis scenario needs a running redis-server");
        return RedisRecordCache.Connect(
            new RedisCacheOptions { Configuration = server.EndPoint, TimeoutMilliseconds = 200 },
            metrics,
            null,
            TimeProvider.System,
            NullLogger.Instance);
    }

    /// <summary>One resolution of every handle: on a miss the core fills the in-process tier, and Redis when it is there.</summary>
    private async Task<long> PrimeAsync(Resolver resolver, CancellationToken cancellationToken)
    {
        long failures = 0;
        await Parallel.ForEachAsync(
            seeded.Handles,
            new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken },
            async (handle, token) =>
            {
                var outcome = await resolver.ResolveAsync(Client, handle, ValueFilter.All, authoritative: false, token);
                if (!outcome.IsSuccess)
                {
                    Interlocked.Increment(ref failures);
                }
            });
        return failures;
    }

    private async Task CheckTiersAsync(CacheScenario scenario, InProcessRecordCache local, bool primingFailed, List<string> notes, List<string> warnings, CancellationToken cancellationToken)
    {
        var handles = seeded.Handles.Count;
        var expectedLocal = scenario.Expected == ServingTier.InProcess ? handles : 0;
        notes.Add($"in-process entries {local.Count}");
        if (local.Count != expectedLocal)
        {
            warnings.Add($"the in-process tier holds {local.Count} entries, {expectedLocal} expected");
        }

        if (scenario.UsesRedis && redis is not null)
        {
            // The core adds to Redis after it has answered, so the last additions may still be on their way.
            var size = await WaitForDbSizeAsync(redis, handles, cancellationToken);
            notes.Add($"redis dbsize {size}");
            if (size != handles)
            {
                var reason = primingFailed ? " (priming had failures)" : string.Empty;
                throw new InvalidOperationException($"Redis holds {size} keys after priming, {handles} expected{reason}: the scenario would not measure Redis hits");
            }
        }
    }

    private static async Task<long> WaitForDbSizeAsync(RedisServer server, long expected, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var size = await server.DbSizeAsync();
            if (size >= expected || Stopwatch.GetElapsedTime(started) > RedisFillDeadline)
            {
                return size;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }
    }

    private static void CheckServed(CacheScenario scenario, TierCount served, List<string> warnings)
    {
        foreach (var tier in Enum.GetValues<ServingTier>())
        {
            if (tier != scenario.Expected && served.Of(tier) > 0)
            {
                warnings.Add($"{served.Of(tier)} resolutions were answered by the {Describe(tier)}, not the {Describe(scenario.Expected)}");
            }
        }
    }

    private static string Describe(ServingTier tier) => tier switch
    {
        ServingTier.InProcess => "in-process tier",
        ServingTier.Redis => "Redis tier",
        _ => "store",
    };
}
