using System.Collections.Concurrent;
using Grpc.Core;
using IdResolution.Contracts.V1;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Node.Tests.Hierarchy;

/// <summary>
/// The whole duty as real processes (top level, secondaries A 88.709 and B 88.710): A's identifiers reach the top
/// level's escrow; A is SIGKILLed in the middle of a write stream; the operator declares the takeover; B's clients
/// get every identifier the escrow had applied, served by the top level from escrow, and the acknowledged ones it
/// had not are the documented loss window (not found, not wrong); A comes back from its own data having lost no
/// acknowledged write, its site refresh does not end the takeover, the escrow catches up to A's count and checksum,
/// and the hand-back (unforced: A's heartbeat shows the escrow caught up) points the referrals at A again.
/// </summary>
[Collection(nameof(HierarchyTests))]
public sealed class EscrowTakeoverTests : IAsyncLifetime
{
    private const string A = "88.709";
    private const string Bulk = "88.709.300";
    private const int Seeded = 18_000;
    private const int StreamBatch = 100;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(150);

    private readonly NodeHierarchy _hierarchy = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _hierarchy.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_killed_secondary_is_served_from_escrow_up_to_the_applied_position_loses_no_acknowledged_write_and_is_handed_back()
    {
        string[] escrow = ["--Escrow:PollMilliseconds=100", "--Federation:TimeoutMilliseconds=3000", "--Duties:HeartbeatSeconds=2"];
        await _hierarchy.StartAsync(new Dictionary<string, string[]>
        {
            // B resolves at other nodes as an anonymous client, so its 20,000 look-ups in a few seconds would spend the
            // top level's per-client resolution budget (2,000/s) meant for one client, not for a node relaying many.
            [NodeHierarchy.Top] = [.. escrow, "--RateLimits:Resolution:PermitsPerSecond=50000", "--RateLimits:Resolution:Burst=50000"],
            [NodeHierarchy.SecondaryA] = [.. escrow, "--Federation:SiteRefreshSeconds=10"],
            [NodeHierarchy.SecondaryB] = ["--Federation:ReferralTtlSeconds=1", "--Cache:MaxTtlSeconds=1", "--Federation:StaleRetrySeconds=1", "--Federation:TimeoutMilliseconds=3000"],
        }, NodeHierarchy.Top, NodeHierarchy.SecondaryA, NodeHierarchy.SecondaryB);
        await _hierarchy.AdmitAsync(NodeHierarchy.SecondaryA);
        await _hierarchy.AdmitAsync(NodeHierarchy.SecondaryB);
        await _hierarchy.AllocateAsync(NodeHierarchy.SecondaryA, Bulk, "bulk");
        var aGrpc = $"http://127.0.0.1:{_hierarchy.PortsOf(NodeHierarchy.SecondaryA).Grpc}";
        var topGrpc = $"http://127.0.0.1:{_hierarchy.PortsOf(NodeHierarchy.Top).Grpc}";

        await NodeHierarchy.UntilAsync(async () => (await Escrow().ListEscrowAsync(new ListEscrowRequest(), cancellationToken: Ct)).Copies.Any(c => c.Node == A && c.AppliedAt is not null),
            "the top level keeping a copy of A", Patience, TopLog);

        // 18,000 in batches of 2,000 reach the escrow; the operator reads the lag from the metric, at 0.
        await _hierarchy.BulkRegisterAsync(NodeHierarchy.SecondaryA, Bulk, 0, Seeded, 2_000);
        await UntilEscrowEqualsAAsync();
        await NodeHierarchy.UntilAsync(async () =>
        {
            var metrics = await _hierarchy[NodeHierarchy.Top].Http.GetStringAsync("/metrics", Ct);
            return metrics.Contains("idres_escrow_lag_entries{", StringComparison.Ordinal)
                && PrometheusText.Sum(metrics, "idres_escrow_lag_entries", $"node=\"{A}\"") == 0;
        }, "the escrow lag gauge at zero", Patience, TopLog);

        // A write stream; A is killed once 1,000 more are acknowledged, with batches still going.
        var stream = new WriteStream(_hierarchy[NodeHierarchy.SecondaryA]);
        var writing = stream.RunAsync(Seeded, StreamBatch);
        await NodeHierarchy.UntilAsync(() => Task.FromResult(stream.Acknowledged >= Seeded + 1_000 || writing.IsCompleted), "A acknowledging the stream", Patience);
        await _hierarchy.KillAsync(NodeHierarchy.SecondaryA);
        await writing;
        var acknowledged = stream.Acknowledged;
        Assert.True(acknowledged >= Seeded + 1_000, $"the stream ended early: {stream.Failure}");

        // The escrow's last applied position, read once A is gone (it cannot move on without A).
        var copy = await CopyAsync();
        Assert.False(copy.DumpOpen);
        var top = new Administration.AdministrationClient(_hierarchy[NodeHierarchy.Top].Channel);
        var declared = (await top.DeclareTakeoverAsync(new DeclareTakeoverRequest { Prefix = A, Reason = "88.709 lost its machine" }, cancellationToken: Ct)).Takeover;
        Assert.Equal("taken_over", declared.State);
        // A page received before the kill may still have been applied since: the position only moves on.
        Assert.True(declared.EscrowApplied >= (long)copy.AppliedPosition, $"takeover at {declared.EscrowApplied}, the copy stood at {copy.AppliedPosition}");

        // B's clients: every identifier is asked for; what the escrow applied comes back, served by the top level.
        await NodeHierarchy.UntilAsync(async () => await ReferredToAsync() == topGrpc, "the top level referring 88.709.300 to itself", Patience, TopLog);
        await NodeHierarchy.UntilAsync(async () => (await ResolveThroughBAsync([NodeHierarchy.Bulk(Bulk, 0)]))[0].ResponseCode == 1, "B resolving through the takeover", Patience, TopLog);
        var answers = await ResolveThroughBAsync([.. Enumerable.Range(0, acknowledged).Select(i => NodeHierarchy.Bulk(Bulk, i))]);
        var served = new SortedSet<int>();
        for (var i = 0; i < acknowledged; i++)
        {
            var answer = answers[i];
            Assert.True(answer.ResponseCode is 1 or 100, $"{answer.Handle}: {answer.ResponseCode} {answer.Message}");
            if (answer.ResponseCode == 1)
            {
                Assert.Equal("https://example.com/" + NodeHierarchy.Bulk(Bulk, i), answer.Values.Single(v => v.Type == "URL").Data.StringValue);
                served.Add(i);
            }
        }

        // The escrow applies A's log in order and the batches were sequential: what it holds is the stream up to
        // one point (the last batch applied may be partial), never a hole before it.
        Assert.True(served.Count >= Seeded, $"only {served.Count} served; the first {Seeded} were in escrow before the stream");
        var lastWhole = served.Max / StreamBatch * StreamBatch;
        Assert.Equal(Enumerable.Range(0, lastWhole), served.Where(i => i < lastWhole));
        var window = acknowledged - served.Count;
        TestContext.Current.TestOutputHelper?.WriteLine($"acknowledged {acknowledged}, served from escrow {served.Count}, loss window {window} (escrow applied position {declared.EscrowApplied})");

        // Writes at the top level are refused read-only.
        var write = new CreateHandleRequest { Handle = Bulk + "/DURING-TAKEOVER" };
        write.Values.Add(new HandleValue { Index = 1, Type = "URL", Data = new ValueData { StringValue = "https://example.com/x" } });
        var refused = await Errors.Capture(() => new Registry.RegistryClient(_hierarchy[NodeHierarchy.Top].Channel).CreateHandleAsync(write, cancellationToken: Ct).ResponseAsync);
        Assert.Equal((StatusCode.Unavailable, 7), (refused.Status, refused.ResponseCode));

        // A comes back from its own data: every acknowledged write is there.
        await _hierarchy.RestartAsync(NodeHierarchy.SecondaryA);
        var onA = await ResolveAsync(_hierarchy[NodeHierarchy.SecondaryA], [.. Enumerable.Range(0, acknowledged).Select(i => NodeHierarchy.Bulk(Bulk, i))]);
        Assert.All(onA, answer => Assert.True(answer.ResponseCode == 1, $"A lost {answer.Handle}: {answer.ResponseCode} {answer.Message}"));

        // Its site refresh reaches the top level (A audits the takeover it was told of) and does not end the takeover.
        await NodeHierarchy.UntilAsync(async () => (await AuditAsync(NodeHierarchy.SecondaryA)).Contains("takeover_observed"), "A observing the takeover", Patience, TopLog);
        Assert.Equal("taken_over", (await top.GetTakeoverAsync(new GetTakeoverRequest { Prefix = A }, cancellationToken: Ct)).Takeover.State);
        Assert.Equal(topGrpc, await ReferredToAsync());

        // The escrow catches up with A: the same count and checksum for every prefix, so no gap and no duplicate.
        var own = await UntilEscrowEqualsAAsync();
        Assert.True(own.Prefixes.Single(p => p.Prefix == Bulk).Count >= (ulong)acknowledged);
        var caughtUp = await CopyAsync();
        Assert.True(caughtUp.AppliedPosition >= own.Position, $"applied {caughtUp.AppliedPosition}, A stood at {own.Position}");
        Assert.Equal(own.Records, caughtUp.Records);

        // Hand-back without force once A's heartbeat shows the escrow caught up.
        await NodeHierarchy.UntilAsync(async () => (await top.GetTakeoverAsync(new GetTakeoverRequest { Prefix = A }, cancellationToken: Ct)).Takeover is { HasEscrowLag: true, EscrowLag: 0 },
            "A's heartbeat reporting a position the escrow has applied", Patience, TopLog);
        var back = (await top.HandBackAsync(new HandBackRequest { Prefix = A, Reason = "A restored" }, cancellationToken: Ct)).Takeover;
        Assert.Equal(("handed_back", false), (back.State, back.Forced));
        await NodeHierarchy.UntilAsync(async () => await ReferredToAsync() == aGrpc, "the top level referring 88.709.300 to A again", Patience, TopLog);

        // An identifier of the loss window resolves through B again, now at A.
        var last = NodeHierarchy.Bulk(Bulk, acknowledged - 1);
        await NodeHierarchy.UntilAsync(async () => (await ResolveThroughBAsync([last]))[0].ResponseCode == 1, "B resolving the last acknowledged identifier at A", Patience, TopLog);

        var topAudit = await top.QueryAuditAsync(new QueryAuditRequest { Prefix = A }, cancellationToken: Ct);
        Assert.Equal(["takeover_declare", "takeover_hand_back"], topAudit.Entries.Where(e => e.Operation.StartsWith("takeover_", StringComparison.Ordinal) && e.ResponseCode == 1).Select(e => e.Operation));
        await NodeHierarchy.UntilAsync(async () => (await AuditAsync(NodeHierarchy.SecondaryA)).Contains("hand_back_observed"), "A observing the hand-back", Patience, TopLog);
    }

    private Task<ChecksumsReply> UntilEscrowEqualsAAsync() => _hierarchy.UntilEscrowEqualsAsync(NodeHierarchy.SecondaryA, Patience);

    private Task<EscrowCopyInfo> CopyAsync() => _hierarchy.EscrowCopyAsync(NodeHierarchy.SecondaryA);

    private EscrowAdministration.EscrowAdministrationClient Escrow() => new(_hierarchy[NodeHierarchy.Top].Channel);

    private Task<List<ResolveResult>> ResolveThroughBAsync(IReadOnlyList<string> handles) => ResolveAsync(_hierarchy[NodeHierarchy.SecondaryB], handles);

    /// <summary>Resolves <paramref name="handles"/> at <paramref name="node"/> as an anonymous client, in batches, a few at once; results in order.</summary>
    private static async Task<List<ResolveResult>> ResolveAsync(NodeProcess node, IReadOnlyList<string> handles)
    {
        var client = new Resolution.ResolutionClient(node.AnonymousChannel);
        var batches = handles.Chunk(500).Select((chunk, n) => (chunk, n)).ToList();
        var results = new ConcurrentDictionary<int, ResolveBatchResponse>();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = Ct }, async (batch, token) =>
        {
            var request = new ResolveBatchRequest();
            request.Handles.AddRange(batch.chunk);
            results[batch.n] = await client.ResolveBatchAsync(request, cancellationToken: token);
        });
        return [.. batches.SelectMany(batch => results[batch.n].Results)];
    }

    /// <summary>The gRPC URL the top level's referral for the bulk prefix names.</summary>
    private async Task<string?> ReferredToAsync()
    {
        var reply = await new Contracts.V1.Federation.FederationClient(_hierarchy[NodeHierarchy.Top].AnonymousChannel)
            .GetReferralAsync(new GetReferralRequest { Handle = Bulk + "/X" }, cancellationToken: Ct);
        return reply.Referral?.Sites.FirstOrDefault()?.Attributes.FirstOrDefault(a => a.Name == "grpc")?.Value;
    }

    private async Task<List<string>> AuditAsync(string node)
    {
        var reply = await new Administration.AdministrationClient(_hierarchy[node].Channel).QueryAuditAsync(new QueryAuditRequest { Prefix = A }, cancellationToken: Ct);
        return [.. reply.Entries.Select(e => e.Operation)];
    }

    private string TopLog() => _hierarchy.LogTail(NodeHierarchy.Top);

    /// <summary>
    /// Sequential BatchCreate calls to A, counting what A acknowledged (every item created) until a call fails;
    /// the batch in flight when A dies is not acknowledged, whatever of it A stored.
    /// </summary>
    private sealed class WriteStream(NodeProcess node)
    {
        private int _acknowledged;

        public int Acknowledged => Volatile.Read(ref _acknowledged);

        public Exception? Failure { get; private set; }

        public async Task RunAsync(int first, int batch)
        {
            var registry = new Registry.RegistryClient(node.Channel);
            Volatile.Write(ref _acknowledged, first);
            try
            {
                for (var start = first; start < first + 20_000; start += batch)
                {
                    var request = new BatchCreateRequest();
                    request.Items.AddRange(Enumerable.Range(start, batch).Select(i =>
                    {
                        var item = new CreateHandleRequest { Handle = NodeHierarchy.Bulk(Bulk, i) };
                        item.Values.Add(new HandleValue { Index = 1, Type = "URL", Data = new ValueData { StringValue = "https://example.com/" + item.Handle } });
                        return item;
                    }));
                    var reply = await registry.BatchCreateAsync(request);
                    Assert.All(reply.Results, result => Assert.Equal(1, result.ResponseCode));
                    Volatile.Write(ref _acknowledged, start + batch);
                }
            }
            catch (Exception exception) when (exception is RpcException or ObjectDisposedException or OperationCanceledException or HttpRequestException)
            {
                Failure = exception;
            }
        }
    }
}
