using System.Globalization;

namespace IdResolution.LoadTests.Harness;

/// <summary>
/// Scenarios against a node the harness starts itself (<c>--own-node</c>, <c>--node-setting</c>,
/// <c>--store-stall</c>): one real node process on spare loopback ports in a temporary directory, with the settings
/// given, stopped and removed when the run ends, fails or is interrupted.
/// </summary>
internal static class OwnNodeRun
{
    private static readonly TimeSpan Ready = TimeSpan.FromSeconds(90);

    public static async Task<int> RunAsync(HarnessOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var assembly = HierarchyPlan.NodeAssembly(HierarchyPlan.Repository());
        var root = Directory.CreateTempSubdirectory("idres-load-node-");
        try
        {
            var plan = HierarchyPlan.Standalone(Path.Combine(root.FullName, "node"), options.NodeSettings);
            await using var node = await NodeProcessRun.StartAsync(assembly, plan, Ready, cancellationToken);
            Console.WriteLine($"node ready: HTTP {plan.Http}, gRPC {plan.Grpc}, in {plan.Directory}; settings given: {string.Join(' ', options.NodeSettings)}");
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
