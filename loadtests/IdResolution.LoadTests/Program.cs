using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using IdResolution.Caching.Redis.Tests.Infrastructure;
using IdResolution.LoadTests.Harness;

namespace IdResolution.LoadTests;

/// <summary>
/// Resolutions per second of one node core in three cache situations, measured in one process on
/// one machine so that their ratios mean something: an in-process hit, a Redis hit, a store read.
/// Exit codes: 0 clean, 1 failed resolutions or an error, 2 bad arguments or a requested scenario
/// that cannot run, 130 interrupted.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["--help"] or ["-h"])
        {
            Console.WriteLine(BenchOptions.Usage);
            Console.WriteLine(HarnessOptions.Usage);
            return 0;
        }

        if (args.Length > 0 && (HarnessOptions.Known.Contains(args[0]) || args[0] == "all"))
        {
            using var interrupted = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                interrupted.Cancel();
            };

            // A kill (SIGTERM) unwinds the same way, so the nodes the federation scenario started stop with it.
            using var terminated = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                interrupted.Cancel();
            });
            try
            {
                return await NodeHarness.RunAsync(args, interrupted.Token);
            }
            catch (Exception exception) when (interrupted.IsCancellationRequested
                && exception is OperationCanceledException or Grpc.Core.RpcException { StatusCode: Grpc.Core.StatusCode.Cancelled })
            {
                Console.Error.WriteLine("interrupted");
                return 130;
            }
            catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException or Grpc.Core.RpcException)
            {
                Console.Error.WriteLine($"error: {exception.Message}");
                return 1;
            }
        }

        if (!BenchOptions.TryParse(args, out var options, out var error))
        {
            Console.Error.WriteLine(error);
            Console.Error.WriteLine(BenchOptions.Usage);
            return 2;
        }

        using var stopping = new CancellationTokenSource();

        // Ctrl+C unwinds through the finally blocks, so that redis-server and the temp directory go too.
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stopping.Cancel();
        };
        var root = Directory.CreateTempSubdirectory("idres-cache-tiers-");
        try
        {
            return await RunAsync(options, root.FullName, stopping.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            Console.Error.WriteLine("interrupted");
            return 130;
        }
        catch (Exception exception)
        {
            Console.Error.WriteLine($"error: {exception}");
            return 1;
        }
        finally
        {
            Delete(root);
        }
    }

    private static async Task<int> RunAsync(BenchOptions options, string root, CancellationToken cancellationToken)
    {
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"cache tiers: {options.Handles} handles, {options.Concurrency} workers, {options.Warmup.TotalSeconds:0.##} s warm-up + {options.Measured.TotalSeconds:0.##} s measured per scenario; {Environment.ProcessorCount} cores, .NET {Environment.Version}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC"));

        var scenarios = CacheScenario.All.Where(scenario => options.Runs(scenario.Selection)).ToList();
        var skipped = new Dictionary<CacheScenario, string>();

        // Started before seeding, so that a Redis run that cannot happen is reported before the wait for seeding.
        await using var redis = scenarios.Contains(CacheScenario.RedisHit) ? await TryStartRedisAsync() : null;
        if (redis is not null)
        {
            Console.WriteLine($"redis-server (pid {redis.ProcessId}) answering on {redis.EndPoint}");
        }
        else if (scenarios.Remove(CacheScenario.RedisHit))
        {
            Console.Error.WriteLine("redis-server is not on PATH (on Debian: apt-get install redis-server); the redis-hit scenario cannot run.");
            if (options.Scenarios == ScenarioSelection.Redis)
            {
                return 2;
            }

            skipped[CacheScenario.RedisHit] = "redis-server not found";
        }

        var seeding = Stopwatch.GetTimestamp();
        await using var seeded = await SeededStore.CreateAsync(Path.Combine(root, "node"), options.Handles, cancellationToken);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded {seeded.Handles.Count} handles into RocksDB in {Stopwatch.GetElapsedTime(seeding).TotalSeconds:F1} s"));

        var runner = new ScenarioRunner(seeded, options, redis);
        var results = new List<ScenarioResult>();
        foreach (var scenario in scenarios)
        {
            Console.WriteLine($"{scenario.Name}: {scenario.Meaning}");
            var result = await runner.RunAsync(scenario, cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  before load: {string.Join(", ", result.Notes)}; measured {result.Load.PerSecond:N0} resolutions/s"));
            results.Add(result);
        }

        ResultReport.Write(Console.Out, results, skipped);
        var failures = results.Sum(result => result.Failures);
        if (failures > 0)
        {
            Console.Error.WriteLine($"{failures} resolutions failed");
            return 1;
        }

        return 0;
    }

    /// <summary>
    /// A running server, or null when there is no redis-server to start. The test infrastructure
    /// reports that case as an <see cref="InvalidOperationException"/> over the failed process
    /// start; any other failure to start is an error of the run, not a reason to skip.
    /// </summary>
    private static async Task<RedisServer?> TryStartRedisAsync()
    {
        try
        {
            return await RedisServer.StartAsync();
        }
        catch (InvalidOperationException exception) when (exception.InnerException is Win32Exception)
        {
            return null;
        }
    }

    private static void Delete(DirectoryInfo directory)
    {
        try
        {
            directory.Delete(recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"could not remove {directory.FullName}: {exception.Message}");
        }
    }
}
