using System.Diagnostics;
using System.Globalization;
using Grpc.Net.Client;
using IdResolution.Contracts.V1;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Node.Tests.Hierarchy;

/// <summary>
/// The README's small hierarchy as real processes: each node started from its own settings file in
/// <c>deploy/hierarchy</c> (top level 88, secondaries 88.709 and 88.710, enterprise node 88.709.911 under
/// 88.709), in its own directory, on spare loopback ports chosen once so a node restarts where the others
/// expect it. Only the ports (and what a test adds) override the files. Every process is stopped on dispose.
/// </summary>
public sealed class NodeHierarchy : IAsyncDisposable
{
    public const string Top = "top";
    public const string SecondaryA = "secondary-a";
    public const string SecondaryB = "secondary-b";
    public const string Enterprise = "enterprise";

    private static readonly Dictionary<string, (string Prefix, string? Parent)> Shape = new()
    {
        [Top] = ("88", null),
        [SecondaryA] = ("88.709", Top),
        [SecondaryB] = ("88.710", Top),
        [Enterprise] = ("88.709.911", SecondaryA),
    };

    private readonly TempDirectory _root = new();
    private readonly Dictionary<string, (int Http, int Grpc)> _ports = [];
    private readonly Dictionary<string, NodeProcess> _running = [];
    private readonly Dictionary<string, string[]> _settings = [];

    public NodeHierarchy()
    {
        foreach (var name in Shape.Keys)
        {
            _ports[name] = (NodeProcess.SparePort(), NodeProcess.SparePort());
        }
    }

    public static TimeSpan Ready { get; } = TimeSpan.FromSeconds(60);

    public NodeProcess this[string name] => _running[name];

    public bool IsRunning(string name) => _running.ContainsKey(name);

    public static string PrefixOf(string name) => Shape[name].Prefix;

    /// <summary>The loopback ports the named node listens on (and the others reach it at), also when a test hosts it itself.</summary>
    public (int Http, int Grpc) PortsOf(string name) => _ports[name];

    /// <summary>Starts the named nodes (all, when none are named), each with the extra settings given for it.</summary>
    public async Task StartAsync(IReadOnlyDictionary<string, string[]>? settings = null, params string[] names)
    {
        foreach (var name in names.Length == 0 ? Shape.Keys : (IEnumerable<string>)names)
        {
            _settings[name] = settings?.GetValueOrDefault(name) ?? [];
            await StartOneAsync(name);
        }
    }

    /// <summary>SIGKILL, as a crash or a pulled plug.</summary>
    public async Task KillAsync(string name)
    {
        await _running[name].DisposeAsync();
        _running.Remove(name);
    }

    /// <summary>Starts a killed node again, from its data directory, on its ports, with its settings.</summary>
    public Task RestartAsync(string name) => StartOneAsync(name);

    /// <summary>
    /// Admits <paramref name="child"/> at its parent with the credential the child's own operator reads from it
    /// (GetNodeIdentity), as the README's commands do; <paramref name="parent"/> is an administrator's channel to a
    /// parent the test hosts itself.
    /// </summary>
    public async Task AdmitAsync(string child, GrpcChannel? parent = null)
    {
        var identity = await new Administration.AdministrationClient(_running[child].Channel).GetNodeIdentityAsync(new GetNodeIdentityRequest());
        var request = new AdmitNodeRequest { Prefix = PrefixOf(child), Name = child };
        request.Credentials.Add(identity.Credential);
        await new Administration.AdministrationClient(parent ?? _running[Shape[child].Parent!].Channel).AdmitNodeAsync(request);
    }

    /// <summary>Creates an account <paramref name="owner"/> on <paramref name="node"/> and allocates <paramref name="prefix"/> to it.</summary>
    public async Task AllocateAsync(string node, string prefix, string owner)
    {
        var admin = new Administration.AdministrationClient(_running[node].Channel);
        await admin.CreateAccountAsync(new CreateAccountRequest { Name = owner, Password = owner + "-password" });
        await admin.AllocatePrefixAsync(new AllocatePrefixRequest { Prefix = prefix, Owner = owner });
    }

    /// <summary>The identifier <c>prefix/ITEM-i</c> the bulk registrations write.</summary>
    public static string Bulk(string prefix, int i) => string.Create(CultureInfo.InvariantCulture, $"{prefix}/ITEM-{i:D4}");

    /// <summary>Registers <c>prefix/ITEM-first</c> onwards on <paramref name="node"/> through BatchCreate, <paramref name="batch"/> a call; every one must be created.</summary>
    public async Task BulkRegisterAsync(string node, string prefix, int first, int count, int batch)
    {
        var registry = new Registry.RegistryClient(_running[node].Channel);
        for (var start = first; start < first + count; start += batch)
        {
            var request = new BatchCreateRequest();
            request.Items.AddRange(Enumerable.Range(start, Math.Min(batch, first + count - start)).Select(i =>
            {
                var item = new CreateHandleRequest { Handle = Bulk(prefix, i) };
                item.Values.Add(new HandleValue { Index = 1, Type = "URL", Data = new ValueData { StringValue = "https://example.com/" + item.Handle } });
                return item;
            }));
            var reply = await registry.BatchCreateAsync(request);
            Assert.All(reply.Results, result => Assert.Equal(1, result.ResponseCode));
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails naming <paramref name="what"/> when it has not within <paramref name="patience"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan patience, Func<string>? detail = null)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed >= patience)
            {
                Assert.Fail($"not seen within {patience.TotalSeconds} s: {what}{(detail is null ? string.Empty : Environment.NewLine + detail())}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>The end of the named node's log, for a failure's message.</summary>
    public string LogTail(string name)
    {
        var output = IsRunning(name) ? _running[name].Output : $"({name} is not running)";
        return output[Math.Max(0, output.Length - 6000)..];
    }

    /// <summary>The top level's escrow copy of <paramref name="child"/> as its administration API lists it.</summary>
    public async Task<EscrowCopyInfo> EscrowCopyAsync(string child) =>
        (await new EscrowAdministration.EscrowAdministrationClient(_running[Top].Channel).ListEscrowAsync(new ListEscrowRequest())).Copies.Single(c => c.Node == PrefixOf(child));

    /// <summary>
    /// Polls until the top level's escrow copy of <paramref name="child"/> has the same count and checksum for every
    /// prefix as the child's own store; returns the child's figures.
    /// </summary>
    public async Task<ChecksumsReply> UntilEscrowEqualsAsync(string child, TimeSpan patience)
    {
        ChecksumsReply? own = null;
        await UntilAsync(async () =>
        {
            own = await new EscrowAdministration.EscrowAdministrationClient(_running[child].Channel).GetChecksumsAsync(new GetChecksumsRequest());
            var copy = await new EscrowAdministration.EscrowAdministrationClient(_running[Top].Channel).GetEscrowChecksumsAsync(new GetEscrowChecksumsRequest { Node = PrefixOf(child) });
            return own.Prefixes.Count > 0 && own.Prefixes.SequenceEqual(copy.Prefixes);
        }, $"the top level's escrow equal to {child}'s own records", patience, () => LogTail(Top));
        return own!;
    }

    /// <summary>The node's own Federation service, as another node calls it (anonymously, like a resolving peer).</summary>
    public GrpcChannel FederationChannel(string name) => _running[name].AnonymousChannel;

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _running.Values)
        {
            await node.DisposeAsync();
        }

        _running.Clear();
        _root.Dispose();
    }

    private async Task StartOneAsync(string name)
    {
        var (http, grpc) = _ports[name];
        var directory = Path.Combine(_root.Path, name);
        Directory.CreateDirectory(directory);
        List<string> arguments =
        [
            $"--Config={Path.Combine(Repository.Root, "deploy", "hierarchy", name + ".json")}",
            $"--Federation:AdvertisedEndpoints:Grpc=http://127.0.0.1:{grpc}",
            $"--Federation:AdvertisedEndpoints:Http=http://127.0.0.1:{http}",
        ];
        if (Shape[name].Parent is { } parent)
        {
            arguments.Add($"--Federation:Parent:Endpoints:0=http://127.0.0.1:{_ports[parent].Grpc}");

            // The parent's key, as its operator hands it to the child's: the child serves its escrow feed to that key only.
            if (_running.TryGetValue(parent, out var running))
            {
                var identity = await new Administration.AdministrationClient(running.Channel).GetNodeIdentityAsync(new GetNodeIdentityRequest());
                arguments.Add($"--Federation:Parent:Credentials:0={identity.Credential}");
            }
        }

        arguments.AddRange(_settings[name]);
        _running[name] = await NodeProcess.StartOnPortsAsync(directory, http, grpc, Ready, [.. arguments]);
    }
}
