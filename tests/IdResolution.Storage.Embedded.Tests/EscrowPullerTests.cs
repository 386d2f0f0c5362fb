using System.Text;
using IdResolution.Core.Duties;
using IdResolution.Core.Escrow;
using IdResolution.Core.Federation;
using IdResolution.Core.Monitoring;
using IdResolution.Core.Records;
using IdResolution.Core.Storage;
using IdResolution.Core.Telemetry;

namespace IdResolution.Storage.Embedded.Tests;

/// <summary>
/// The parent's puller between two real embedded stores, the child's feed and dump handed over as the gRPC
/// link hands them (page by page, each applied before the next): a first pull dumps, later ones follow the log,
/// a cut read resumes after the last page applied, and a trimmed log or a dump left open brings a new dump.
/// Each ends with the copy's per-prefix figures equal to the child's own.
/// </summary>
public sealed class EscrowPullerTests : IAsyncDisposable
{
    private static readonly RemoteNode ChildNode = new("88.709", [new NodeEndpoint("http://127.0.0.1:1")]);
    private readonly TempStoreDirectory _childDirectory = new();
    private readonly TempStoreDirectory _parentDirectory = new();
    private readonly NodeMetrics _metrics = NodeMetrics.CreateStandalone();
    private RocksDbHandleStore? _child;
    private RocksDbHandleStore? _parent;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        await (_child?.DisposeAsync() ?? ValueTask.CompletedTask);
        await (_parent?.DisposeAsync() ?? ValueTask.CompletedTask);
        _metrics.Dispose();
        _childDirectory.Dispose();
        _parentDirectory.Dispose();
    }

    [Fact]
    public async Task The_first_pull_dumps_and_later_ones_follow_the_log()
    {
        var (child, escrow, link, puller) = Open(new ChangeLogOptions());
        await WriteAsync(child, 0, 40);

        Assert.Equal(1, (await puller.PullAsync(ChildNode, Ct)).Dumps);
        await WriteAsync(child, 40, 25);
        var round = await puller.PullAsync(ChildNode, Ct);

        Assert.Equal((25L, 0), (round.Applied, round.Dumps));
        Assert.Equal(await ChecksumsAsync(child), await escrow.SummarizeAsync(ChildNode.Id, Ct));
        Assert.Equal(await child.LastChangePositionAsync(Ct), (await escrow.PositionAsync(ChildNode.Id, Ct)).Applied);
        var lag = puller.LagOf(ChildNode.Id)!;
        Assert.Equal((0L, 0d), (lag.Entries, lag.Seconds));
        Assert.Equal(1, link.Dumps);
    }

    [Fact]
    public async Task A_read_cut_part_way_keeps_the_pages_applied_and_the_next_pull_resumes_after_them()
    {
        var (child, escrow, link, puller) = Open(new ChangeLogOptions());
        await puller.PullAsync(ChildNode, Ct);
        await WriteAsync(child, 0, 50);

        link.FailAfterPages = 2;
        await Assert.ThrowsAsync<RemoteUnavailableException>(async () => await puller.PullAsync(ChildNode, Ct));
        var cut = await escrow.PositionAsync(ChildNode.Id, Ct);
        Assert.Equal(2 * Link.Batch, cut.Applied - (await child.LastChangePositionAsync(Ct) - 50));
        Assert.True(puller.LagOf(ChildNode.Id)!.Entries > 0);

        link.FailAfterPages = null;
        var round = await puller.PullAsync(ChildNode, Ct);

        Assert.Equal((50L - (2 * Link.Batch), 0), (round.Applied, round.Dumps));
        Assert.Equal(await ChecksumsAsync(child), await escrow.SummarizeAsync(ChildNode.Id, Ct));
    }

    [Fact]
    public async Task A_position_the_childs_retention_dropped_brings_a_new_dump()
    {
        var (child, escrow, link, puller) = Open(new ChangeLogOptions { MaxEntries = 5 });
        await WriteAsync(child, 0, 10);
        await puller.PullAsync(ChildNode, Ct);
        await WriteAsync(child, 10, 30);
        await child.TrimChangesAsync();

        var round = await puller.PullAsync(ChildNode, Ct);

        Assert.Equal(1, round.Dumps);
        Assert.Equal(2, link.Dumps);
        Assert.Equal(await ChecksumsAsync(child), await escrow.SummarizeAsync(ChildNode.Id, Ct));
        Assert.Equal(40, (await escrow.SummarizeAsync(ChildNode.Id, Ct)).Single(p => p.Prefix == "88.709.1").Count);
    }

    [Fact]
    public async Task A_dump_left_open_is_started_again()
    {
        var (child, escrow, link, puller) = Open(new ChangeLogOptions());
        await WriteAsync(child, 0, 10);
        await puller.PullAsync(ChildNode, Ct);
        await escrow.BeginDumpAsync(ChildNode.Id, Ct);
        await escrow.ApplyDumpAsync(ChildNode.Id, [new DumpEntry("88.709.1/STRAY", Record("88.709.1/STRAY", 1))], Ct);

        Assert.Equal(1, (await puller.PullAsync(ChildNode, Ct)).Dumps);

        Assert.False((await escrow.PositionAsync(ChildNode.Id, Ct)).DumpOpen);
        Assert.Null(await escrow.GetAsync(ChildNode.Id, "88.709.1/STRAY", Ct));
        Assert.Equal(await ChecksumsAsync(child), await escrow.SummarizeAsync(ChildNode.Id, Ct));
        Assert.Equal(2, link.Dumps);
    }

    private (RocksDbHandleStore Child, EmbeddedEscrowStore Escrow, Link Link, EscrowPuller Puller) Open(ChangeLogOptions changeLog)
    {
        _child = RocksDbHandleStore.Open(_childDirectory.Options, changeLog, TimeProvider.System);
        _parent = RocksDbHandleStore.Open(_parentDirectory.Options);
        var escrow = new EmbeddedEscrowStore(_parent);
        var link = new Link(_child);
        return (_child, escrow, link, new EscrowPuller(escrow, link, Link.Batch, TimeProvider.System, _metrics));
    }

    private static async Task WriteAsync(RocksDbHandleStore store, int first, int count) =>
        await store.WriteAsync([.. Enumerable.Range(first, count).Select(i => $"88.709.1/R{i}").Select(k => StoreWrite.Create(k, Record(k, 10)))], Ct);

    private static async Task<IReadOnlyList<PrefixChecksum>> ChecksumsAsync(RocksDbHandleStore store)
    {
        var sums = new PrefixChecksums();
        await using var dump = await store.OpenDumpAsync(Ct);
        await foreach (var entry in dump.ReadAsync(Ct))
        {
            sums.Add(entry.Key, entry.Record.Version);
        }

        return sums.ToList();
    }

    private static HandleRecord Record(string handle, long version) =>
        new(handle, [new HandleValue { Index = 1, Type = WellKnownTypes.Url, Data = Encoding.UTF8.GetBytes("https://example.org/" + handle) }], version);

    /// <summary>The child's side of the link as the escrow service serves it: pages until caught up, the dump's position on each page.</summary>
    private sealed class Link(RocksDbHandleStore child) : INodeLink
    {
        public const int Batch = 7;

        public int? FailAfterPages { get; set; }

        public int Dumps { get; private set; }

        public async ValueTask ReadChangesAsync(RemoteNode node, long after, int batch, Func<ChangeFeedPage, CancellationToken, ValueTask> apply, CancellationToken cancellationToken)
        {
            var last = await child.LastChangePositionAsync(cancellationToken);
            for (var pages = 0; ; pages++)
            {
                if (pages == FailAfterPages)
                {
                    throw new RemoteUnavailableException(node.Id, circuitOpen: false, "the stream was cut (test)");
                }

                var page = await child.ReadChangesAsync(after, batch, cancellationToken);
                await apply(new ChangeFeedPage(page.Entries, page.Next, page.Trimmed, Math.Max(last, page.Next)), cancellationToken);
                if (page.Trimmed || page.Next >= last || (page.Entries.Count == 0 && page.Next == after))
                {
                    return;
                }

                after = page.Next;
            }
        }

        public async ValueTask ReadDumpAsync(RemoteNode node, int batch, Func<DumpPage, CancellationToken, ValueTask> apply, CancellationToken cancellationToken)
        {
            Dumps++;
            await using var dump = await child.OpenDumpAsync(cancellationToken);
            var records = new List<DumpEntry>();
            var first = true;
            await foreach (var entry in dump.ReadAsync(cancellationToken))
            {
                records.Add(entry);
                if (records.Count == batch)
                {
                    await apply(new DumpPage(records, dump.Position, first), cancellationToken);
                    (records, first) = ([], false);
                }
            }

            await apply(new DumpPage(records, dump.Position, first), cancellationToken);
        }

        public ValueTask<RemoteAnswer> GetReferralAsync(RemoteNode node, string handle, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<RemoteAnswer> ResolveAsync(RemoteNode node, string handle, bool authoritative, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<IReadOnlyList<FilingResult>> FileAsync(RemoteNode parent, IReadOnlyList<Filing> filings, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<HeartbeatAck> HeartbeatAsync(RemoteNode parent, HeartbeatFigures figures, CancellationToken cancellationToken) => throw new NotSupportedException();

        public bool IsCircuitOpen(RemoteNode node) => false;
    }
}
