using IdResolution.Core.Administration;
using IdResolution.Core.Duties;
using IdResolution.Core.Federation;
using IdResolution.Core.Monitoring;
using IdResolution.Core.Records;
using IdResolution.Core.Registration;
using IdResolution.Core.Resolution;
using IdResolution.Core.Security;
using IdResolution.Core.Storage;
using IdResolution.Core.Tests.Support;

namespace IdResolution.Core.Tests.Federation;

/// <summary>
/// A top level (88) taking its child A (88.709) over and handing it back: referrals, read-only answers from the
/// escrow copy (the in-memory stand-in for the escrow store), writes refused, A's filings held and not lost.
/// </summary>
public sealed class TakeoverTests : IAsyncLifetime
{
    private const string TopGrpc = "https://grpc.top.test";
    private const string AGrpc = "https://grpc.a.test";
    private const string EnterpriseGrpc = "https://grpc.e.test";

    private readonly InMemoryEscrowStore _escrow = new();
    private readonly ChildHeartbeats _heartbeats;
    private readonly Node _top;
    private readonly Node _a = new(nodePrefix: "88.709");
    private readonly TakeoverDesk _desk;

    public TakeoverTests()
    {
        _top = new Node(nodePrefix: "88", role: NodeRole.TopLevel, escrow: _escrow,
            federation: new FederationOptions { AdvertisedEndpoints = new AdvertisedEndpoints { Grpc = TopGrpc } });
        _heartbeats = new ChildHeartbeats(TimeSpan.FromSeconds(10), _top.Time);
        _desk = Desk(_escrow);
    }

    public async ValueTask InitializeAsync()
    {
        await ChildA.AdmitAsync(_top);
        Assert.All(await _top.Registrar.ApplyFilingsAsync(ChildA.Caller,
            [File("0.NA/88.709", 3, Site(AGrpc)), File("0.NA/88.709.911", 4, Site(EnterpriseGrpc))], Ct), r => Assert.Equal(HandleResponseCode.Success, r.Code));
    }

    public ValueTask DisposeAsync()
    {
        _top.Dispose();
        _a.Dispose();
        return ValueTask.CompletedTask;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_taken_over_childs_own_prefixes_are_referred_to_the_top_level_and_its_enterprise_nodes_still_to_themselves_until_handed_back()
    {
        // 88.709.6: an enterprise prefix A allocated and filed with its own sites; 88.709.911 runs its own node.
        Assert.All(await _top.Registrar.ApplyFilingsAsync(ChildA.Caller, [File("0.NA/88.709.6", 1, Site(AGrpc))], Ct), r => Assert.Equal(HandleResponseCode.Success, r.Code));
        Assert.Equal(AGrpc, await ReferredToAsync("88.709.5"));
        Assert.Equal(AGrpc, await ReferredToAsync("88.709.6.1"));
        Assert.Equal(EnterpriseGrpc, await ReferredToAsync("88.709.911.3"));

        Assert.True((await DeclareAsync()).IsSuccess);
        foreach (var prefix in new[] { "88.709", "88.709.5", "88.709.6", "88.709.6.1" })
        {
            var referral = (await _top.Core.Referrals.LookupAsync(prefix, Ct))!;
            Assert.Equal(("88.709", TopGrpc), (referral.Prefix, referral.Node.Endpoints[0].GrpcUrl));
        }

        // The enterprise node's handles are not in A's escrow copy: it keeps answering for them itself.
        Assert.Equal(EnterpriseGrpc, await ReferredToAsync("88.709.911"));
        Assert.Equal(EnterpriseGrpc, await ReferredToAsync("88.709.911.3"));
        Assert.Null(await _top.Core.Jurisdiction.TakeoverAsync("88.709.911.3", Ct));
        Assert.Null(await _top.Core.Referrals.LookupAsync("88.710", Ct));

        var back = await _desk.HandBackAsync(TestCallers.Administrator, "88.709", "node restored", force: true, Ct);
        Assert.True(back.IsSuccess, back.Message);
        Assert.Equal(AGrpc, await ReferredToAsync("88.709.5"));
        Assert.Equal(EnterpriseGrpc, await ReferredToAsync("88.709.911.3"));
    }

    [Fact]
    public async Task The_top_level_answers_a_taken_over_childs_handles_from_escrow_with_the_childs_value_permissions()
    {
        await SeedEscrowAsync("88.709.1/X", Values.Text(1, "DESC", "public"), Values.Text(2, "SECRET", "admins only") with { Permissions = ValuePermissions.AdminRead | ValuePermissions.AdminWrite });
        Assert.True((await DeclareAsync()).IsSuccess);

        var anonymous = await _top.ResolveAsync("88.709.1/x");
        Assert.True(anonymous.IsSuccess, anonymous.Message);
        Assert.Equal(["DESC"], anonymous.Value.Values.Select(v => v.Type));

        var administrator = await _top.Resolver.ResolveAsync(TestCallers.Administrator, "88.709.1/X", ValueFilter.All, authoritative: false, Ct);
        Assert.Equal(["DESC", "SECRET"], administrator.Value!.Values.Select(v => v.Type));

        var filtered = await _top.ResolveAsync("88.709.1/X", new ValueFilter(["SECRET"], []));
        Assert.Equal(HandleResponseCode.ValuesNotFound, filtered.Value!.Code);

        var missing = await _top.ResolveAsync("88.709.1/NOT-IN-ESCROW");
        Assert.Equal(HandleResponseCode.HandleNotFound, missing.Code);
        Assert.Contains("escrow copy of node 88.709", missing.Message, StringComparison.Ordinal);

        var many = await _top.Resolver.ResolveManyAsync(Caller.Anonymous("127.0.0.1"), ["88.709.1/X", "88.709.1/NOT-IN-ESCROW"], ValueFilter.All, Ct);
        Assert.Equal([HandleResponseCode.Success, HandleResponseCode.HandleNotFound], many.Select(o => o.Code));
    }

    [Fact]
    public async Task Without_a_complete_escrow_copy_a_handle_is_unavailable_not_falsely_not_found()
    {
        // Declared before the puller ever applied anything of A: "not found" would be a false answer.
        Assert.True((await DeclareAsync()).IsSuccess);
        var never = await _top.ResolveAsync("88.709.1/X");
        Assert.Equal((HandleResponseCode.Error, FederatedResolver.UpstreamUnavailable), (never.Code, never.Reason));
        Assert.Contains("not complete", never.Message, StringComparison.Ordinal);

        // A copy being rebuilt from a dump is no better; once the dump ends, what it lacks is not found.
        await _escrow.BeginDumpAsync("88.709", Ct);
        Assert.Equal(HandleResponseCode.Error, (await _top.ResolveAsync("88.709.1/X")).Code);
        await _escrow.EndDumpAsync("88.709", 7, Ct);
        Assert.Equal(HandleResponseCode.HandleNotFound, (await _top.ResolveAsync("88.709.1/X")).Code);
    }

    [Fact]
    public async Task Writes_to_a_taken_over_childs_handles_are_refused_read_only_and_nothing_stored_changes()
    {
        await SeedEscrowAsync("88.709.1/X", Values.Text(1, "DESC", "public"));
        Assert.True((await DeclareAsync()).IsSuccess);
        var changesBefore = await _top.Store.LastChangePositionAsync(Ct);

        var outcomes = new List<Outcome<WriteReceipt>>
        {
            await _top.CreateAsync("88.709.1/NEW", Values.Text(1, "DESC", "new")),
            await _top.Registrar.UpdateAsync(TestCallers.Administrator, new UpdateRequest("88.709.1/X", [Values.Text(1, "DESC", "changed")], []), Ct),
            await _top.Registrar.DeleteAsync(TestCallers.Administrator, "88.709.5/Y", Ct),
        };
        outcomes.AddRange(await _top.Registrar.CreateBatchAsync(TestCallers.Administrator, [new CreateRequest("88.709.2/A", [Values.Text(1, "DESC", "a")])], Ct));

        Assert.All(outcomes, outcome =>
        {
            Assert.Equal(HandleResponseCode.ServerBackup, outcome.Code);
            Assert.Equal(TakeoverMark.ReasonName, outcome.Reason);
            Assert.StartsWith("node 88.709 is under takeover, read-only", outcome.Message, StringComparison.Ordinal);
        });
        Assert.Equal(changesBefore, await _top.Store.LastChangePositionAsync(Ct));
        Assert.Null(await _top.Store.GetAsync("88.709.1/NEW", Ct));
        Assert.Equal("public", Values.DataText((await _escrow.GetAsync("88.709", "88.709.1/X", Ct))!.Find(1)!));

        // Another secondary's handles, and those of the enterprise node under A that runs its own node, are not this
        // node's to write either, and keep their usual answer.
        Assert.Equal(HandleResponseCode.ServerNotResponsible, (await _top.CreateAsync("88.710.1/Z", Values.Text(1, "DESC", "z"))).Code);
        Assert.Equal(HandleResponseCode.ServerNotResponsible, (await _top.Registrar.DeleteAsync(TestCallers.Administrator, "88.709.911.3/Y", Ct)).Code);
    }

    [Fact]
    public async Task The_childs_filings_and_site_refreshes_are_held_during_the_takeover_and_filed_after_hand_back()
    {
        var link = new ParentLink(_top);
        var filer = new PrefixFiler(_a.Store, _a.Store, link, new RemoteNode("88", [new NodeEndpoint("http://127.0.0.1:1")]), _a.Core.Jurisdiction, _a.Grammar,
            new FederationOptions(), _a.Time, _a.Metrics);
        using var observer = new TakeoverObserver(_a.Store, _a.Audit, "88.709", "88", _a.Time);
        Assert.True((await DeclareAsync()).IsSuccess);

        // A restarted child refreshes its site on a new address and allocates a prefix: both wait.
        Assert.True((await _a.CreateAsync("0.NA/88.709", Site("https://grpc.a-restarted.test"))).IsSuccess);
        Assert.True((await _a.CreateAsync("0.NA/88.709.5", Values.Text(PrefixSites.StatusIndex, ReservedTypes.PrefixStatus, "active"))).IsSuccess);
        for (var round = 0; round < 3; round++)
        {
            var held = await filer.RunOnceAsync(Ct);
            Assert.True(held.TakenOver);
            Assert.Contains("taken over", held.Failure, StringComparison.Ordinal);
            await observer.ObserveAsync(true, held.Failure!, Ct);
        }

        var checkIn = await filer.CheckInAsync((await _a.Store.GetAsync("0.NA/88.709", Ct))!, Ct);
        Assert.True(checkIn.TakenOver);
        Assert.Equal(2, filer.Backlog);
        Assert.Null(await _top.Store.GetAsync("0.NA/88.709.5", Ct));
        Assert.Equal(TopGrpc, await ReferredToAsync("88.709.5"));

        Assert.True((await _desk.HandBackAsync(TestCallers.Administrator, "88.709", "restored", force: true, Ct)).IsSuccess);
        var filed = await filer.RunOnceAsync(Ct);
        Assert.Null(filed.Failure);
        Assert.False(filed.TakenOver);
        Assert.Equal(TakeoverChange.HandedBack, await observer.ObserveAsync(false, string.Empty, Ct));
        Assert.Equal(TakeoverChange.None, await observer.ObserveAsync(false, string.Empty, Ct));
        Assert.NotNull(await _top.Store.GetAsync("0.NA/88.709.5", Ct));
        Assert.Equal("https://grpc.a-restarted.test", await ReferredToAsync("88.709.5"));

        // Observed once each, however many refusals came; and a new observer over the same store remembers.
        Assert.Equal(["takeover_observed", "hand_back_observed"], _a.Audit.Entries.Where(e => e.Operation.EndsWith("_observed", StringComparison.Ordinal)).Select(e => e.Operation));
        using var restarted = new TakeoverObserver(_a.Store, _a.Audit, "88.709", "88", _a.Time);
        Assert.Equal(TakeoverChange.None, await restarted.ObserveAsync(false, string.Empty, Ct));
    }

    [Fact]
    public async Task Declaring_and_handing_back_follow_the_rules_and_are_audited_with_who_and_why()
    {
        Assert.Equal(HandleResponseCode.AuthenticationNeeded, (await _desk.DeclareAsync(Caller.Anonymous("10.0.0.1"), "88.709", "x", Ct)).Code);
        Assert.Equal(HandleResponseCode.InsufficientPermissions, (await _desk.DeclareAsync(ChildA.Caller, "88.709", "x", Ct)).Code);
        Assert.Equal(HandleResponseCode.InvalidValue, (await _desk.DeclareAsync(TestCallers.Administrator, "88.709", " ", Ct)).Code);
        Assert.Equal(HandleResponseCode.HandleNotFound, (await _desk.DeclareAsync(TestCallers.Administrator, "88.710", "not admitted", Ct)).Code);
        var withoutEscrow = await Desk(null).DeclareAsync(TestCallers.Administrator, "88.709", "no escrow here", Ct);
        Assert.Equal((HandleResponseCode.OperationNotSupported, TakeoverDesk.NoEscrowStore), (withoutEscrow.Code, withoutEscrow.Reason));
        var notYet = await _desk.HandBackAsync(TestCallers.Administrator, "88.709", null, force: true, Ct);
        Assert.Equal((HandleResponseCode.ValuesNotFound, TakeoverDesk.NotTakenOver), (notYet.Code, notYet.Reason));
        Assert.Null((await _desk.GetAsync(TestCallers.Administrator, "88.709", Ct)).Value!.Mark);

        var declared = await DeclareAsync();
        Assert.True(declared.IsSuccess, declared.Message);
        Assert.Equal((true, "test-admin", "node 88.709 lost its disk"), (declared.Value.InForce, declared.Value.Mark!.DeclaredBy, declared.Value.Mark.Reason));
        Assert.Equal(HandleResponseCode.ValueAlreadyExists, (await DeclareAsync()).Code);

        // The escrow's lag must be known and 0: no heartbeat yet, then one ahead of the copy, then one it caught up with.
        var unknown = await _desk.HandBackAsync(TestCallers.Administrator, "88.709", "back", force: false, Ct);
        Assert.Equal((HandleResponseCode.Error, TakeoverDesk.EscrowBehind), (unknown.Code, unknown.Reason));
        await SeedEscrowAsync("88.709.1/X", Values.Text(1, "DESC", "public"));
        _heartbeats.Record("88.709", Figures(feedLastPosition: 9));
        var behind = await _desk.HandBackAsync(TestCallers.Administrator, "88.709", "back", force: false, Ct);
        Assert.Equal(TakeoverDesk.EscrowBehind, behind.Reason);
        Assert.Contains("8 change(s) behind", behind.Message, StringComparison.Ordinal);
        Assert.True((await _desk.GetAsync(TestCallers.Administrator, "88.709", Ct)).Value!.InForce);

        // A log that ends before the copy (the node restored from an older backup) is no "caught up".
        _heartbeats.Record("88.709", Figures(feedLastPosition: 0));
        var regressed = await _desk.HandBackAsync(TestCallers.Administrator, "88.709", "back", force: false, Ct);
        Assert.Equal(TakeoverDesk.EscrowBehind, regressed.Reason);
        Assert.Contains("ends before the escrow's applied position", regressed.Message, StringComparison.Ordinal);

        _heartbeats.Record("88.709", Figures(feedLastPosition: 1));
        var back = await _desk.HandBackAsync(TestCallers.Administrator, "88.709", "node restored and caught up", force: false, Ct);
        Assert.True(back.IsSuccess, back.Message);
        Assert.Equal((false, "test-admin", false, 0L), (back.Value.InForce, back.Value.Mark!.HandedBackBy, back.Value.Mark.Forced, back.Value.Lag));

        // Durable on the prefix handle in the store, beside what admission put there.
        var prefixHandle = await _top.Store.GetAsync("0.NA/88.709", Ct);
        var stored = TakeoverMark.Read("88.709", prefixHandle);
        Assert.Equal([1, 2, 300, Registrar.FiledIndex, TakeoverMark.Index], prefixHandle!.Values.Select(v => v.Index).Order());
        Assert.Equal((false, "node 88.709 lost its disk", "node restored and caught up"), (stored!.InForce, stored.Reason, stored.HandBackReason));

        var audited = _top.Audit.Entries.Where(e => e.Operation.StartsWith("takeover_", StringComparison.Ordinal) && e.ResponseCode == 1).ToList();
        Assert.Equal([("takeover_declare", "node 88.709 lost its disk"), ("takeover_hand_back", "node restored and caught up")],
            audited.Select(e => (e.Operation, e.Message)));
        Assert.All(audited, e => Assert.Equal(("test-admin", "88.709"), (e.Who, e.Prefix)));
    }

    private TakeoverDesk Desk(InMemoryEscrowStore? escrow) =>
        new(_top.Registrar, _top.Source, _top.Grammar, _top.Core.Jurisdiction, _top.Audit, escrow, _heartbeats, _top.Time);

    private ValueTask<Outcome<TakeoverStatus>> DeclareAsync() => _desk.DeclareAsync(TestCallers.Administrator, "88.709", "node 88.709 lost its disk", Ct);

    private async Task<string> ReferredToAsync(string prefix) => (await _top.Core.Referrals.LookupAsync(prefix, Ct))!.Node.Endpoints[0].GrpcUrl;

    /// <summary>Puts a record in A's escrow copy as the puller would: change-log position 1.</summary>
    private async Task SeedEscrowAsync(string handle, params HandleValue[] values)
    {
        Assert.True(_top.Grammar.TryParse(handle, out var id, out _));
        await _escrow.ApplyChangesAsync("88.709", [new ChangeEntry(1, id.Key, new HandleRecord(handle, values, 5), 5, Node.Start)], 1, Ct);
    }

    private static HeartbeatFigures Figures(long feedLastPosition) => new(0, 0, 0, TimeSpan.FromMinutes(1), "test", feedLastPosition, 0, Node.Start);

    private static HandleValue Site(string grpc) => new() { Index = 1, Type = WellKnownTypes.Site, Data = Sites.Of(grpc).Encode(), Ttl = 300 };

    private static Filing File(string handle, long version, params HandleValue[] values) => new(handle, version, values, false, DateTimeOffset.UnixEpoch);
}
