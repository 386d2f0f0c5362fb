using IdResolution.Core.Federation;
using IdResolution.Core.Records;
using IdResolution.Core.Security;
using IdResolution.Core.Tests.Support;

namespace IdResolution.Core.Tests.Federation;

/// <summary>
/// A top level (88) applying the filings of its admitted child A (88.709): only under A's prefix, only if
/// newer, never from a suspended child; and what it then refers to.
/// </summary>
public sealed class FilingTests : IAsyncLifetime
{
    private readonly Node _top = new(nodePrefix: "88", role: NodeRole.TopLevel);

    public async ValueTask InitializeAsync() => await ChildA.AdmitAsync(_top);

    public ValueTask DisposeAsync()
    {
        _top.Dispose();
        return ValueTask.CompletedTask;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HandleValue Site(string grpc) => new() { Index = 1, Type = WellKnownTypes.Site, Data = Sites.Of(grpc).Encode(), Ttl = 300 };

    private static Filing File(string handle, long version, params HandleValue[] values) => new(handle, version, values, false, DateTimeOffset.UnixEpoch);

    private async Task<IReadOnlyList<FilingResult>> Apply(Caller caller, params Filing[] filings) => await _top.Registrar.ApplyFilingsAsync(caller, filings, Ct);

    private async Task<HandleRecord?> Held(string handle) => await _top.Store.GetAsync(handle, Ct);

    [Fact]
    public async Task Newer_filings_are_applied_and_older_or_repeated_ones_change_nothing()
    {
        var first = await Apply(ChildA.Caller, File("0.NA/88.709.911", 10, Values.Text(7, "DESC", "v10")));
        var repeat = await Apply(ChildA.Caller, File("0.NA/88.709.911", 10, Values.Text(7, "DESC", "v10 again")));
        var both = await Apply(ChildA.Caller, File("0.NA/88.709.911", 12, Values.Text(7, "DESC", "v12")), File("0.NA/88.709.911", 11, Values.Text(7, "DESC", "v11, late")));
        var late = await Apply(ChildA.Caller, File("0.NA/88.709.911", 11, Values.Text(7, "DESC", "v11, later still")));

        var results = first.Concat(repeat).Concat(both).Concat(late).ToList();
        Assert.Equal([true, false, true, false, false], results.Select(r => r.Applied));
        Assert.All(results, r => Assert.Equal(HandleResponseCode.Success, r.Code));
        var held = await Held("0.NA/88.709.911");
        Assert.Equal("v12", Values.DataText(held!.Find(7)!));
        Assert.Equal(12, PrefixSites.FiledVersion(held));
    }

    [Fact]
    public async Task A_child_files_nothing_outside_its_own_prefix()
    {
        var results = await Apply(ChildA.Caller, File("0.NA/88.710.1", 5, Values.Text(7, "DESC", "not A's")), File("0.NA/88.7090", 5), File("88.709.911/x", 5));

        Assert.Equal([HandleResponseCode.InsufficientPermissions, HandleResponseCode.InsufficientPermissions, HandleResponseCode.InvalidHandle], results.Select(r => r.Code));
        Assert.Null(await Held("0.NA/88.710.1"));
        Assert.Null(await Held("0.NA/88.7090"));
    }

    [Fact]
    public async Task An_unadmitted_or_suspended_node_files_nothing()
    {
        var stranger = new Caller(CallerKind.PeerNode, new ValueReference("0.NA/88.711", 300), "node 88.711", "127.0.0.3");
        Assert.All(await Apply(stranger, File("0.NA/88.711.1", 5)), r => Assert.Equal(HandleResponseCode.InsufficientPermissions, r.Code));
        Assert.All(await Apply(Caller.Anonymous("10.0.0.1"), File("0.NA/88.709.1", 5)), r => Assert.Equal(HandleResponseCode.AuthenticationNeeded, r.Code));

        Assert.True((await _top.Registrar.ModifyValuesAsync(TestCallers.Administrator, "0.NA/88.709",
            [Values.Text(PrefixSites.StatusIndex, ReservedTypes.PrefixStatus, "suspended")], Ct)).IsSuccess);
        var refused = await Apply(ChildA.Caller, File("0.NA/88.709.1", 5));

        Assert.Equal(HandleResponseCode.InsufficientPermissions, Assert.Single(refused).Code);
        Assert.Contains("suspended", refused[0].Message, StringComparison.Ordinal);
        Assert.Null(await Held("0.NA/88.709.1"));
    }

    [Fact]
    public async Task On_its_own_prefix_handle_a_child_changes_only_its_sites()
    {
        var results = await Apply(ChildA.Caller, File("0.NA/88.709", 3, Site("https://grpc.a.test"),
            Values.Text(PrefixSites.StatusIndex, ReservedTypes.PrefixStatus, "removed"), Values.Text(9, "DESC", "not taken")));

        Assert.True(results[0].Applied, results[0].Message);
        var held = await Held("0.NA/88.709");
        Assert.Equal("active", PrefixSites.StatusOf(held!).Status);
        Assert.Null(held!.Find(9));
        Assert.True(NodeDelegation.IsDelegated(held));
        Assert.Equal("https://grpc.a.test", RemoteNode.FromSites("88.709", PrefixSites.SitesOf(held, DateTimeOffset.UnixEpoch).Sites).Endpoints.Single().GrpcUrl);

        var removal = await Apply(ChildA.Caller, new Filing("0.NA/88.709", 4, [], true, DateTimeOffset.UnixEpoch));
        Assert.Equal(HandleResponseCode.InsufficientPermissions, removal[0].Code);
    }

    [Fact]
    public async Task A_removed_prefix_leaves_a_tombstone_an_older_filing_cannot_undo()
    {
        await Apply(ChildA.Caller, File("0.NA/88.709.5", 1, Site("https://grpc.e.test")));
        await Apply(ChildA.Caller, new Filing("0.NA/88.709.5", 2, [], true, DateTimeOffset.UnixEpoch));
        var replay = await Apply(ChildA.Caller, File("0.NA/88.709.5", 1, Site("https://grpc.e.test")));

        Assert.False(replay[0].Applied);
        var held = await Held("0.NA/88.709.5");
        Assert.Equal(PrefixSites.Removed, PrefixSites.StatusOf(held!).Status);
        Assert.Null(await _top.Core.Referrals.LookupAsync("88.709.5", Ct));
    }

    [Fact]
    public async Task The_top_level_refers_to_the_longest_filed_prefix_with_sites()
    {
        await Apply(ChildA.Caller, File("0.NA/88.709", 1, Site("https://grpc.a.test")));
        await Apply(ChildA.Caller, File("0.NA/88.709.911", 1, Site("https://grpc.e.test")));
        await Apply(ChildA.Caller, File("0.NA/88.709.912", 1, Values.Text(7, "DESC", "hosted at A, no site")));

        Assert.Equal("88.709.911", (await _top.Core.Referrals.LookupAsync("88.709.911.3", Ct))!.Prefix);
        Assert.Equal("88.709", (await _top.Core.Referrals.LookupAsync("88.709.912", Ct))!.Prefix);
        Assert.Null(await _top.Core.Referrals.LookupAsync("88.710", Ct));
        Assert.Null(await _top.Core.Referrals.LookupAsync("99.1", Ct));
    }

    [Fact]
    public async Task A_suspended_child_is_still_referred_to_for_the_grace_time_then_not()
    {
        await Apply(ChildA.Caller, File("0.NA/88.709", 1, Site("https://grpc.a.test")));
        Assert.True((await _top.Registrar.ModifyValuesAsync(TestCallers.Administrator, "0.NA/88.709",
            [Values.Text(PrefixSites.StatusIndex, ReservedTypes.PrefixStatus, "suspended")], Ct)).IsSuccess);

        Assert.Equal("88.709", (await _top.Core.Referrals.LookupAsync("88.709.1", Ct))?.Prefix);
        _top.Time.Advance(TimeSpan.FromSeconds(new FederationOptions().SuspensionGraceSeconds + 1));
        _top.Cache.Clear();
        Assert.Null(await _top.Core.Referrals.LookupAsync("88.709.1", Ct));
    }
}
