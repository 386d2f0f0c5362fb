using System.Globalization;
using IdResolution.Caching.Redis.Tests.Infrastructure;

namespace IdResolution.LoadTests.Harness;

/// <summary>
/// Scenarios against a node the harness starts itself (<c>--own-node</c>, <c>--node-setting</c>,
/// <c>--store-stall</c>, <c>resolve-redis</c>): one real node process on spare loopback ports in a temporary directory,
/// with the settings given (and, for resolve-redis, a redis-server of its own started first, as the Redis tier's
/// tests start theirs), stopped and removed when the run ends, fails or is interrupted.
/// </summary>
internal static class OwnNodeRun
{
    private static readonly TimeSpan Ready = TimeSpan.FromSeconds(90);

    public static async Task<int> RunAsync(HarnessOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var assembly = HierarchyPlan.NodeAssembly(HierarchyPlan.Repository());
        await using var redis = options.Scenarios.Contains("resolve-redis") ? await RedisServer.StartAsync() : null;
        var settings = options.NodeSettings;
        if (redis is not null)
        {
            Console.WriteLine($"redis-server (pid {redis.ProcessId}) answering on {redis.EndPoint}");

            // The in-process tier keeps nothing, so every resolution asks Redis; its timeout is raised from 10 ms so that
            // a machine busy with the load generator too does not turn Redis answers into store reads (counted below).
            settings = [$"--Redis:Configuration={redis.EndPoint}", "--Cache:LocalMaxTtlSeconds=0", "--Redis:TimeoutMilliseconds=200", .. settings];
        }

        var root = Directory.CreateTempSubdirectory("idres-load-node-");
        try
        {
            var plan = HierarchyPlan.Standalone(Path.Combine(root.FullName, "node"), settings);
            await using var node = await NodeProcessRun.StartAsync(assembly, plan, Ready, cancellationToken);
            Console.WriteLine($"node ready: HTTP {plan.Http}, gRPC {plan.Grpc}, in {plan.Directory}; settings given: {string.Join(' ', settings)}");
            var exit = await NodeHarness.RunAsync(
                options with { Target = plan.Http, Grpc = plan.Grpc, Password = node.Password, OwnNode = false },
                new Dataset(options.Handles),
                foreign: null,
                cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"node RSS: {node.ResidentKilobytes():N0} kB"));
            return exit;
        }
        finally
        {
            try
            {
                root.Delete(recursive: true);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"could not remove {root.FullName}: {exception.Message}");
            }
        }
    }
}
