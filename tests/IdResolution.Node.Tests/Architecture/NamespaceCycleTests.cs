using System.Reflection;

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

    [Fact]
    public void Every_source_project_is_checked()
    {
        // The node references every adapter, so all of them sit beside this test; a missing one means the list above went stale.
        var names = SourceAssemblies().ToList();
        Assert.Contains("IdResolution.Core", names);
        Assert.Contains("IdResolution.Node", names);
        Assert.Contains("IdResolution.Cql", names);
        Assert.Contains("IdResolution.Storage.Embedded", names);
    }

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void No_namespace_depends_on_itself_through_others(string assemblyName)
    {
        var graph = NamespaceGraph.Of(Assembly.Load(assemblyName));
        var cycles = graph.Cycles();
        var described = cycles.Select(cycle => string.Join(", ", cycle) + ": " + string.Join("; ",
            cycle.SelectMany(from => graph.Edges[from].Where(edge => cycle.Contains(edge.Key)).Select(edge => $"{Short(from)} → {Short(edge.Key)} ({edge.Value})"))));
        Assert.True(cycles.Count == 0, $"namespace cycles in {assemblyName}:{Environment.NewLine}" + string.Join(Environment.NewLine, described));

        string Short(string ns) => ns.Length > assemblyName.Length ? ns[(assemblyName.Length + 1)..] : "(root)";
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
