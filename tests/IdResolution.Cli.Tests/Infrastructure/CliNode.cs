using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Cli.Tests.Infrastructure;

/// <summary>
/// One real node process for the command-line tests (a node takes seconds to start; tests use their own
/// prefixes or handles so they do not see each other's), and an idres signed in as its administrator by token.
/// </summary>
public sealed class CliNode : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();

    public NodeProcess Node { get; private set; } = null!;

    public string DataPath => _directory.Path;

    /// <summary>idres as the node's administrator (token in IDRES_TOKEN), with a config directory of its own.</summary>
    public Idres Admin { get; private set; } = null!;

    /// <summary>A fresh config directory and idres with no token.</summary>
    public Idres Anonymous()
    {
        var config = Path.Combine(_directory.Path, "config-" + Guid.NewGuid().ToString("N"));
        return Idres.For(Node, config);
    }

    public async ValueTask InitializeAsync()
    {
        Node = await NodeProcess.StartAsync(_directory.Path, TimeSpan.FromSeconds(90));
        Admin = new Idres(Path.Combine(_directory.Path, "config-admin"), $"http://127.0.0.1:{Node.GrpcPort}", $"http://127.0.0.1:{Node.HttpPort}") { Token = Node.AdminToken };
    }

    public async ValueTask DisposeAsync()
    {
        if (Node is not null)
        {
            await Node.DisposeAsync();
        }

        _directory.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class CliNodeCollection : ICollectionFixture<CliNode>
{
    public const string Name = "one node for the command line";
}
