using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using IdResolution.Contracts.V1;
using IdResolution.Core.Duties;
using IdResolution.Node.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IdResolution.Node.Tests.Nodes;

/// <summary>
/// The escrow feed of a node (88.709) whose parent is 88: the change log and the dump go to the parent only,
/// known by the node key in <c>Federation:Parent:Credentials</c>; everyone else gets PERMISSION_DENIED (402
/// without credentials, 401 with someone else's) or, with a key the node does not know for 88, 401/403. The
/// position the parent reads after is what it has applied: the node's lag gauges follow it.
/// </summary>
public sealed class EscrowFeedTests : IClassFixture<EscrowFeedTests.Child>
{
    private readonly Child _child;

    public EscrowFeedTests(Child child)
    {
        ArgumentNullException.ThrowIfNull(child);
        _child = child;
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_parent_reads_every_change_but_accounts_in_order_then_the_stream_ends()
    {
        var handles = await _child.RegisterAsync("feed", 12);
        var changes = await ReadChangesAsync(_child.Parent, after: 0, batch: 5);

        var keys = changes.SelectMany(b => b.Changes).Select(c => c.Key).ToList();
        Assert.DoesNotContain(keys, k => k.StartsWith("0.USER/", StringComparison.Ordinal));
        Assert.Superset(handles.ToHashSet(), keys.ToHashSet());
        var positions = changes.SelectMany(b => b.Changes).Select(c => c.Position).ToList();
        Assert.Equal(positions.Order(), positions);
        Assert.Equal(positions.Count, positions.Distinct().Count());
        Assert.All(changes, b => Assert.True(b.Changes.Count <= 5));
        Assert.Equal(positions[^1], changes[^1].Next);
        Assert.Equal(positions[^1], changes[^1].LastPosition);
        var last = changes.SelectMany(b => b.Changes).Single(c => c.Key == handles[^1]);
        Assert.Equal("https://example.org/feed/11", last.Values.Single(v => v.Type == "URL").Data.StringValue);
        Assert.False(last.Deleted);

        var rest = await ReadChangesAsync(_child.Parent, after: positions[^1], batch: 5);
        Assert.Empty(Assert.Single(rest).Changes);
    }

    [Fact]
    public async Task The_position_the_parent_reads_after_sets_the_lag_the_node_reports()
    {
        await _child.RegisterAsync("lag", 6);
        var all = (await ReadChangesAsync(_child.Parent, after: 0, batch: 1000)).SelectMany(b => b.Changes).ToList();

        // The parent says it has applied everything but the last four entries.
        await ReadChangesAsync(_child.Parent, after: all[^5].Position, batch: 1000);

        // The figures the gauges report, read from this node itself: in this test process other nodes run beside it,
        // and their gauges of the same name land in its /metrics too (one node per process in production).
        var status = Deposit.Last;
        Assert.Equal((all[^5].Position, 4L, false), ((ulong?)status.Applied, status.LagEntries, status.AtRisk));
        Assert.Contains("idres_escrow_deposit_lag_entries", await _child.Factory.CreateClient().GetStringAsync("/metrics", Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_parent_ahead_of_the_log_is_told_to_rebuild_from_a_dump_and_counted_as_holding_nothing()
    {
        // The node was restored from an older backup: its log ends before what the parent applied.
        await _child.RegisterAsync("ahead", 3);
        var last = (await ReadChangesAsync(_child.Parent, after: 0, batch: 1000))[^1].LastPosition;

        var reply = Assert.Single(await ReadChangesAsync(_child.Parent, after: last + 1000, batch: 1000));

        Assert.True(reply.Trimmed);
        Assert.Empty(reply.Changes);
        Assert.Equal(last, reply.LastPosition);
        Assert.Equal(0, Deposit.Last.Applied);
        Assert.True(Deposit.Last.LagEntries >= 3, Deposit.Last.ToString());
    }

    [Fact]
    public async Task The_parent_reads_a_dump_of_every_record_but_accounts_with_its_position()
    {
        var handles = await _child.RegisterAsync("dump", 7);
        var batches = new List<DumpBatch>();
        using var call = new Contracts.V1.Escrow.EscrowClient(_child.Parent.Channel(_child.Factory)).ReadDump(new ReadDumpRequest { BatchSize = 3 }, cancellationToken: Token);
        await foreach (var batch in call.ResponseStream.ReadAllAsync(Token))
        {
            batches.Add(batch);
        }

        var keys = batches.SelectMany(b => b.Records).Select(r => r.Key).ToList();
        Assert.Superset(handles.ToHashSet(), keys.ToHashSet());
        Assert.DoesNotContain(keys, k => k.StartsWith("0.USER/", StringComparison.Ordinal));
        Assert.Single(batches.Select(b => b.Position).Distinct());
        var changes = (await ReadChangesAsync(_child.Parent, after: 0, batch: 5000)).SelectMany(b => b.Changes).ToList();
        Assert.True(batches[0].Position >= changes.Where(c => handles.Contains(c.Key)).Max(c => c.Position));
    }

    public static TheoryData<string, StatusCode, int> Refused => new()
    {
        { "anonymous", StatusCode.PermissionDenied, 402 },
        { "administrator", StatusCode.PermissionDenied, 401 },
        { "admitted child", StatusCode.PermissionDenied, 401 },
        { "another key for 88", StatusCode.Unauthenticated, 403 },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Anyone_but_the_parent_is_refused_both_calls(string who, StatusCode status, int code)
    {
        using var impostor = new ChildNode("88");
        using var admitted = new ChildNode("88.709.61");
        await ChildNode.AdmitAsync(_child.Factory, admitted.Prefix, admitted.Credential);
        var channel = who switch
        {
            "anonymous" => _child.Factory.AnonymousChannel,
            "administrator" => _child.Factory.Channel,
            "admitted child" => admitted.Channel(_child.Factory),
            _ => impostor.Channel(_child.Factory),
        };
        var client = new Contracts.V1.Escrow.EscrowClient(channel);

        var changes = await Errors.Capture(async () =>
        {
            using var call = client.ReadChanges(new ReadChangesRequest(), cancellationToken: Token);
            await call.ResponseStream.MoveNext(Token);
        });
        var dump = await Errors.Capture(async () =>
        {
            using var call = client.ReadDump(new ReadDumpRequest(), cancellationToken: Token);
            await call.ResponseStream.MoveNext(Token);
        });

        Assert.Equal((status, code), (changes.Status, changes.ResponseCode));
        Assert.Equal((status, code), (dump.Status, dump.ResponseCode));
    }

    private EscrowDeposit Deposit => _child.Factory.Services.GetRequiredService<EscrowDeposit>();

    private async Task<List<ChangeBatch>> ReadChangesAsync(ChildNode parent, ulong after, uint batch)
    {
        var batches = new List<ChangeBatch>();
        using var call = new Contracts.V1.Escrow.EscrowClient(parent.Channel(_child.Factory))
            .ReadChanges(new ReadChangesRequest { After = after, BatchSize = batch }, cancellationToken: Token);
        await foreach (var reply in call.ResponseStream.ReadAllAsync(Token))
        {
            batches.Add(reply);
        }

        return batches;
    }

    /// <summary>The node 88.709 with a parent 88 at an address nothing listens on, known by <see cref="Parent"/>'s key.</summary>
    public sealed class Child : IAsyncLifetime
    {
        public Child()
        {
            Parent = new ChildNode("88");
            Factory = new NodeFactory()
                .With("Federation:AllowInsecure", "true")
                .With("Federation:Parent:Prefix", "88")
                .With("Federation:Parent:Endpoints:0", "http://127.0.0.1:" + ClosedPort())
                .With("Federation:Parent:Credentials:0", Parent.Credential);
        }

        /// <summary>The parent, as the node sees it on the wire: prefix 88 and its node key.</summary>
        public ChildNode Parent { get; }

        public NodeFactory Factory { get; }

        /// <summary>Registers <paramref name="count"/> handles and returns their keys (this node's canonical keys are upper case).</summary>
        public async Task<List<string>> RegisterAsync(string name, int count)
        {
            var keys = new List<string>();
            for (var i = 0; i < count; i++)
            {
                var handle = $"88.709/escrow-{name}-{i:D2}";
                await Factory.Registry.CreateHandleAsync(Values.Create(handle, Values.Url(1, $"https://example.org/{name}/{i}")), cancellationToken: TestContext.Current.CancellationToken);
                keys.Add(handle.ToUpperInvariant());
            }

            return keys;
        }

        public ValueTask InitializeAsync() => ValueTask.CompletedTask;

        public async ValueTask DisposeAsync()
        {
            await Factory.DisposeAsync();
            Parent.Dispose();
        }

        private static int ClosedPort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
