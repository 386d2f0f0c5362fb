using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace IdResolution.LoadTests.Harness;

/// <summary>One node of a planned hierarchy: where it listens, where it keeps its files, and its command line.</summary>
internal sealed record PlannedNode(string Name, string Prefix, string? Parent, int HttpPort, int GrpcPort, string Directory, IReadOnlyList<string> Arguments)
{
    public Uri Http => new($"http://127.0.0.1:{HttpPort.ToString(CultureInfo.InvariantCulture)}");

    public Uri Grpc => new($"http://127.0.0.1:{GrpcPort.ToString(CultureInfo.InvariantCulture)}");
}

/// <summary>
/// The README's hierarchy, reduced to what the federation scenario needs: a top level (88) and two secondaries
/// (A holding 88.709, B holding 88.710), each from its settings file in <c>deploy/hierarchy</c>, but on spare
/// loopback ports and in its own directory, so a run never collides with a hierarchy a person started on the
/// files' fixed ports. Like the scenarios script's node, each runs in the production configuration: rate
/// limiter on with limits raised far above the offered load (its cost is measured), audit trail and change log on.
/// </summary>
internal sealed class HierarchyPlan
{
    public const string Top = "top";
    public const string SecondaryA = "secondary-a";
    public const string SecondaryB = "secondary-b";

    private static readonly (string Name, string Prefix, string? Parent)[] Shape =
    [
        (Top, "88", null),
        (SecondaryA, "88.709", Top),
        (SecondaryB, "88.710", Top),
    ];

    /// <summary>Resolution and write budgets per client far above what one machine can offer, so they never refuse but still run.</summary>
    private static readonly string[] ProductionSettings =
    [
        "--Node:BindAddress=127.0.0.1",
        "--Logging:LogLevel:Default=Warning",
        "--RateLimits:Enabled=true",
        "--RateLimits:Resolution:PermitsPerSecond=1000000", "--RateLimits:Resolution:Burst=1000000",
        "--RateLimits:Writes:PermitsPerSecond=1000000", "--RateLimits:Writes:Burst=1000000",
        "--RateLimits:Peers:PermitsPerSecond=1000000", "--RateLimits:Peers:Burst=1000000",
    ];

    private HierarchyPlan(IReadOnlyList<PlannedNode> nodes) => Nodes = nodes;

    public IReadOnlyList<PlannedNode> Nodes { get; }

    public PlannedNode this[string name] => Nodes.Single(node => node.Name == name);

    /// <summary>Plans the nodes under <paramref name="root"/> (one directory each), reading settings files from <paramref name="repository"/>.</summary>
    public static HierarchyPlan Create(string repository, string root)
    {
        var ports = SparePorts(Shape.Length * 2);
        var http = new Dictionary<string, int>();
        var grpc = new Dictionary<string, int>();
        for (var i = 0; i < Shape.Length; i++)
        {
            http[Shape[i].Name] = ports[2 * i];
            grpc[Shape[i].Name] = ports[(2 * i) + 1];
        }

        var nodes = Shape.Select(shape =>
        {
            var (name, prefix, parent) = shape;
            List<string> arguments =
            [
                $"--Config={Path.Combine(repository, "deploy", "hierarchy", name + ".json")}",
                $"--Node:HttpPort={http[name]}",
                $"--Node:GrpcPort={grpc[name]}",

                // What other nodes are told to call: the same loopback ports, not the files' fixed ones.
                $"--Federation:AdvertisedEndpoints:Grpc=http://127.0.0.1:{grpc[name]}",
                $"--Federation:AdvertisedEndpoints:Http=http://127.0.0.1:{http[name]}",
                .. ProductionSettings,
            ];
            if (parent is not null)
            {
                arguments.Add($"--Federation:Parent:Endpoints:0=http://127.0.0.1:{grpc[parent]}");
            }

            return new PlannedNode(name, prefix, parent, http[name], grpc[name], Path.Combine(root, name), arguments);
        }).ToList();
        return new HierarchyPlan(nodes);
    }

    /// <summary>
    /// One node on its own (the <c>--own-node</c> runs): the node's defaults (secondary 88.709, embedded store), the
    /// same production settings, resolve batches up to 1,000 as the scenarios script allows, then
    /// <paramref name="settings"/> (command-line form, <c>--Key=Value</c>), which win over everything before them.
    /// </summary>
    public static PlannedNode Standalone(string directory, IEnumerable<string> settings)
    {
        var ports = SparePorts(2);
        List<string> arguments =
        [
            $"--Node:HttpPort={ports[0]}",
            $"--Node:GrpcPort={ports[1]}",
            .. ProductionSettings,
            "--Registry:MaxResolveBatch=1000",
            .. settings,
        ];
        return new PlannedNode("node", "88.709", null, ports[0], ports[1], directory, arguments);
    }

    /// <summary>The node's build beside the harness's own (same configuration and framework), built by the caller.</summary>
    public static string NodeAssembly(string repository) =>
        BuiltAssembly(repository, Path.Combine("src", "IdResolution.Node"), "IdResolution.Node");

    /// <summary>The build of the project in <paramref name="projectDirectory"/> in the harness's own configuration and framework.</summary>
    public static string BuiltAssembly(string repository, string projectDirectory, string name)
    {
        var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var path = Path.Combine(repository, projectDirectory, "bin", bin.Parent!.Name, bin.Name, name + ".dll");
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException($"{name} is not built at {path}: dotnet build -c {bin.Parent.Name} {projectDirectory}");
    }

    /// <summary>
    /// Loopback ports no one listens on now, all different: each listener stays open until every port is chosen,
    /// so the system cannot hand out one twice.
    /// </summary>
    public static IReadOnlyList<int> SparePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(listener => listener.Start());
            return listeners.Select(listener => ((IPEndPoint)listener.LocalEndpoint).Port).ToList();
        }
        finally
        {
            listeners.ForEach(listener => listener.Dispose());
        }
    }

    /// <summary>The repository the harness was built in: the nearest directory above its build output holding the solution.</summary>
    public static string Repository()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "IdResolution.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no IdResolution.sln above {AppContext.BaseDirectory}: run the harness from its build output in the repository");
    }
}
