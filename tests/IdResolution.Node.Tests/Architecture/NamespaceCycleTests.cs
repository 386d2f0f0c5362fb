using System.Reflection;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Node.Tests.Architecture;

/// <summary>
/// Dependencies inside a project go one way, as they do between projects: a folder (namespace) that
/// uses another is never used by it, directly or around a longer loop.
/// </summary>
public sealed class NamespaceCycleTests
{
    public static TheoryData<string> Assemblies() => new(SourceAssemblies());

    private static IEnumerable<string> SourceAssemblies() =>
        Directory.EnumerateFiles(AppContext.BaseDirectory, "IdResolution.*.dll")
            .Select(Path.GetFileNameWithoutExtension)
            .Select(name => name!)
            .Where(name => !name.EndsWith(".Tests", StringComparison.Ordinal) && !name.Equals("IdResolution.StoreContract", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    /// <summary>
    /// Projects whose assembly is checked by another test project, because only that one references it: the command
    /// line is an executable the node's tests do not reference (IdResolution.Cli.Tests' NamespaceCycleTests checks it).
    /// </summary>
    private static readonly string[] CheckedElsewhere = ["IdResolution.Cli"];

    [Fact]
    public void Every_source_project_is_checked()
    {
        // Every project under src/, so a new one that is neither beside this test nor checked elsewhere fails here.
        var projects = Directory.EnumerateFiles(Path.Combine(Repository.Root, "src"), "*.csproj", SearchOption.AllDirectories)
            .Select(Path.GetFileNameWithoutExtension)
            .Select(name => name!)
            .Order(StringComparer.Ordinal);
        Assert.Equal(projects, SourceAssemblies().Concat(CheckedElsewhere).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void No_namespace_depends_on_itself_through_others(string assemblyName)
    {
        var cycles = NamespaceGraph.Of(Assembly.Load(assemblyName)).DescribedCycles();
        Assert.True(cycles.Count == 0, $"namespace cycles in {assemblyName}:{Environment.NewLine}" + string.Join(Environment.NewLine, cycles));
    }

    [Fact]
    public void A_cycle_is_found_when_there_is_one()
    {
        // This test assembly's own namespaces: Architecture ↔ CycleProbe below form one on purpose.
        var graph = NamespaceGraph.Of(typeof(NamespaceCycleTests).Assembly);
        Assert.Contains(graph.Cycles(), cycle => cycle.Contains(typeof(CycleProbe.ProbeA).Namespace!) && cycle.Contains(typeof(ProbeB).Namespace!));
    }

    /// <summary>Half of the deliberate cycle: uses <see cref="CycleProbe.ProbeA"/>, which uses it back.</summary>
    internal static class ProbeB
    {
        public static int Touch() => CycleProbe.ProbeA.Touch() + 1;

        public static int Value() => 2;
    }
}
