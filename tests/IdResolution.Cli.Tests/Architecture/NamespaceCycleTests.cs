using IdResolution.Cli.Commands;
using IdResolution.Node.Tests.Architecture;

namespace IdResolution.Cli.Tests.Architecture;

/// <summary>The command line's folders depend one way too: Commands → Bulk → Connection → Output → root.</summary>
public sealed class NamespaceCycleTests
{
    [Fact]
    public void No_namespace_of_the_command_line_depends_on_itself_through_others()
    {
        // The node's tests check every other source assembly with the same graph; this project is the one that references the command line.
        var cycles = NamespaceGraph.Of(typeof(CommandTree).Assembly).DescribedCycles();
        Assert.True(cycles.Count == 0, "namespace cycles in IdResolution.Cli:" + Environment.NewLine + string.Join(Environment.NewLine, cycles));
    }
}
