using System.Diagnostics;
using Grpc.Core;
using IdResolution.Contracts.V1;

namespace IdResolution.LoadTests.Harness;

/// <summary>
/// The planned hierarchy running: every node started, the secondaries admitted at the top level with the credential
/// each reads from itself (as the README's commands do), and the top level able to refer to both. Disposing stops
/// every node that was started and removes the run's directory, also when starting failed half-way.
/// </summary>
internal sealed class LocalHierarchy : IAsyncDisposable
{
    private static readonly TimeSpan Ready = TimeSpan.FromSeconds(90);

    private readonly DirectoryInfo _root;
    private readonly List<NodeProcessRun> _running = [];

    private LocalHierarchy(DirectoryInfo root) => _root = root;

    public NodeProcessRun this[string name] => _running.Single(node => node.Node.Name == name);

    public static async Task<LocalHierarchy> StartAsync(CancellationToken cancellationToken)
    {
        var repository = HierarchyPlan.Repository();
        var assembly = HierarchyPlan.NodeAssembly(repository);
        var hierarchy = new LocalHierarchy(Directory.CreateTempSubdirectory("idres-load-hierarchy-"));
        try
        {
            var plan = HierarchyPlan.Create(repository, hierarchy._root.FullName);
            foreach (var node in plan.Nodes)
            {
                hierarchy._running.Add(await NodeProcessRun.StartAsync(assembly, node, Ready, cancellationToken));
                Console.WriteLine($"{node.Name} ({node.Prefix}) ready: HTTP {node.Http}, gRPC {node.Grpc}, in {node.Directory}");
            }

            foreach (var child in plan.Nodes.Where(node => node.Parent is not null))
            {
                await hierarchy.AdmitAsync(child, cancellationToken);
            }

            foreach (var child in plan.Nodes.Where(node => node.Parent is not null))
            {
                await hierarchy.UntilReferredAsync(child, cancellationToken);
            }

            return hierarchy;
        }
        catch
        {
            await hierarchy.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _running)
        {
            await node.DisposeAsync();
        }

        _running.Clear();
        try
        {
            _root.Delete(recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"could not remove {_root.FullName}: {exception.Message}");
        }
    }

    private async Task AdmitAsync(PlannedNode child, CancellationToken cancellationToken)
    {
        var node = this[child.Name];
        var identity = await new Administration.AdministrationClient(node.Channel).GetNodeIdentityAsync(new GetNodeIdentityRequest(), node.Auth, cancellationToken: cancellationToken);
        var request = new AdmitNodeRequest { Prefix = child.Prefix, Name = child.Name };
        request.Credentials.Add(identity.Credential);
        var parent = this[child.Parent!];
        await new Administration.AdministrationClient(parent.Channel).AdmitNodeAsync(request, parent.Auth, cancellationToken: cancellationToken);
    }

    /// <summary>Waits until the parent holds the child's site (HS_SITE on 0.NA/&lt;prefix&gt;, filed by the child), read at the parent itself.</summary>
    private async Task UntilReferredAsync(PlannedNode child, CancellationToken cancellationToken)
    {
        var parent = this[child.Parent!];
        var resolution = new Resolution.ResolutionClient(parent.Channel);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var reply = await resolution.ResolveAsync(
                    new ResolveRequest { Handle = "0.NA/" + child.Prefix, Authoritative = true, NoRecursion = true }, parent.Auth, cancellationToken: cancellationToken);
                if (reply.ResponseCode == 1 && reply.Values.Any(value => value.Type == "HS_SITE"))
                {
                    return;
                }
            }
            catch (RpcException exception) when (exception.StatusCode == StatusCode.NotFound)
            {
                // Not filed yet.
            }

            if (clock.Elapsed > Ready)
            {
                throw new InvalidOperationException($"{child.Parent} did not hold the site of {child.Prefix} within {Ready.TotalSeconds:0} s");
            }

            await Task.Delay(200, cancellationToken);
        }
    }
}
