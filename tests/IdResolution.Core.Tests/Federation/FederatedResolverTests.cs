using IdResolution.Core.Federation;
using IdResolution.Core.Resolution;
using IdResolution.Core.Security;
using IdResolution.Core.Tests.Support;

namespace IdResolution.Core.Tests.Federation;

/// <summary>
/// A secondary (88.710, child of the top level 88) resolving handles other nodes hold: referral from the
/// top, answer from the referred node, caching, coalescing, stale answers, loops, and the recursion policy.
/// </summary>
public sealed class FederatedResolverTests : IDisposable
{
    private readonly ScriptedLink _link = new();
    private readonly FederationOptions _options = new() { MaxReferrals = 4, StaleRetrySeconds = 30 };
    private readonly Node _node;

    public FederatedResolverTests()
    {
        _options.Parent.Prefix = "88";
        _options.Parent.Endpoints.Add("https://grpc.88.test");
        _node = new Node(nodePrefix: "88.710", federation: _options, link: _link);

        // The top level refers 88.709.* to secondary A; A answers its records.
        _link.Referrals["88"] = handle => handle.StartsWith("88.709", StringComparison.Ordinal) ? Sites.Refer("88.709") : new RemoteAnswer(HandleResponseCode.ServerNotResponsible, "unknown prefix");
        _link.Resolves["88.709"] = handle => Sites.Record(handle, "https://a.test/" + handle);
    }

    public void Dispose() => _node.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ValueTask<Outcome<Core.Resolution.Resolution>> Resolve(string handle, bool authoritative = false, bool noRecursion = false, Caller? caller = null) =>
        _node.Resolver.ResolveAsync(caller ?? Caller.Anonymous("10.0.0.1"), handle, ValueFilter.All, new ResolveMode(authoritative, noRecursion), Ct);

    [Fact]
    public async Task A_foreign_handle_is_resolved_at_the_node_the_top_level_refers_to_and_then_cached()
    {
        var first = await Resolve("88.709.911/X-1");
        var second = await Resolve("88.709.911/X-1");

        Assert.True(first.IsSuccess, first.Message);
        Assert.Equal("https://a.test/88.709.911/X-1", Values.DataText(first.Value.Values.Single()));
        Assert.False(first.Value.Stale);
        Assert.Equal(first.Value.Record, second.Value!.Record);
        Assert.Equal(1, _link.Calls("referral", "88"));
        Assert.Equal(1, _link.Calls("resolve", "88.709"));
    }

    [Fact]
    public async Task An_authoritative_resolve_asks_again_on_every_hop()
    {
        await Resolve("88.709.911/X-1");
        await Resolve("88.709.911/X-1", authoritative: true);
        await Resolve("88.709.911/X-1", authoritative: true);

        Assert.Equal(3, _link.Calls("resolve", "88.709"));
        Assert.Equal(3, _link.Calls("referral", "88"));
    }

    [Fact]
    public async Task A_thousand_concurrent_resolutions_under_one_foreign_prefix_make_one_referral_lookup()
    {
        _link.ReferralGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var resolves = Enumerable.Range(0, 1000).Select(i => Task.Run(() => Resolve($"88.709.911/C-{i}").AsTask(), Ct)).ToArray();
        await Poll.UntilAsync(() => _link.Calls("referral", "88") >= 1, "the lookup is under way");
        _link.ReferralGate.SetResult();

        var outcomes = await Task.WhenAll(resolves);

        Assert.All(outcomes, outcome => Assert.True(outcome.IsSuccess, outcome.Message));
        Assert.Equal(1, _link.Calls("referral", "88"));
        Assert.Equal(1000, _link.Calls("resolve", "88.709"));
    }

    [Fact]
    public async Task Without_recursion_the_client_gets_the_referral()
    {
        var referral = await Resolve("88.709.911/X-1", noRecursion: true);

        Assert.True(referral.IsSuccess);
        Assert.Equal(HandleResponseCode.PrefixReferral, referral.Value.Code);
        Assert.Equal("88.709", referral.Value.Referral!.Prefix);
        Assert.Equal(0, _link.Calls("resolve", "88.709"));
    }

    [Fact]
    public async Task Recursion_for_authenticated_callers_only_refers_anonymous_ones()
    {
        using var node = new Node(nodePrefix: "88.710", federation: Options(RecursionMode.Authenticated), link: _link);
        var anonymous = await node.Resolver.ResolveAsync(Caller.Anonymous("10.0.0.1"), "88.709.911/X-1", ValueFilter.All, new ResolveMode(false), Ct);
        var known = await node.Resolver.ResolveAsync(TestCallers.Administrator, "88.709.911/X-1", ValueFilter.All, new ResolveMode(false), Ct);

        Assert.Equal(HandleResponseCode.PrefixReferral, anonymous.Value!.Code);
        Assert.Equal(HandleResponseCode.Success, known.Value!.Code);
    }

    [Fact]
    public async Task Further_referrals_are_followed_and_cached_for_their_prefix()
    {
        // A has delegated 88.709.911 to an enterprise node.
        _link.Resolves["88.709"] = handle => Sites.Refer("88.709.911");
        _link.Resolves["88.709.911"] = handle => Sites.Record(handle, "https://e.test/" + handle);

        var first = await Resolve("88.709.911/E-1");
        var second = await Resolve("88.709.911/E-2");

        Assert.Equal("https://e.test/88.709.911/E-2", Values.DataText(second.Value!.Values.Single()));
        Assert.True(first.IsSuccess);
        Assert.Equal(1, _link.Calls("resolve", "88.709"));
        Assert.Equal(2, _link.Calls("resolve", "88.709.911"));
    }

    [Fact]
    public async Task Prefix_handles_that_refer_to_each_other_end_with_code_6()
    {
        _link.Resolves["88.709"] = _ => Sites.Refer("88.709.911");
        _link.Resolves["88.709.911"] = _ => Sites.Refer("88.709");

        var looped = await Resolve("88.709.911/LOOP");

        Assert.Equal(HandleResponseCode.RecursionCountTooHigh, looped.Code);
        Assert.Contains("MaxReferrals", looped.Message, StringComparison.Ordinal);
        Assert.Equal(_options.MaxReferrals, _link.Calls("resolve", "88.709") + _link.Calls("resolve", "88.709.911"));
    }

    [Fact]
    public async Task A_dead_node_behind_an_open_circuit_gives_the_last_answer_at_once_marked_stale()
    {
        Assert.True((await Resolve("88.709.911/S-1")).IsSuccess);

        // The answer's TTL passes; the node dies and its circuit opens.
        _node.Time.Advance(TimeSpan.FromMinutes(20));
        _link.Down["88.709"] = true;
        var stale = await Resolve("88.709.911/S-1");

        Assert.True(stale.IsSuccess, stale.Message);
        Assert.True(stale.Value.Stale);
        Assert.Equal("https://a.test/88.709.911/S-1", Values.DataText(stale.Value.Values.Single()));
        Assert.Equal(1, _link.Calls("resolve", "88.709"));
    }

    [Fact]
    public async Task A_failed_node_is_tried_again_at_most_once_per_retry_interval_per_prefix()
    {
        await Resolve("88.709.911/S-1");
        _node.Time.Advance(TimeSpan.FromMinutes(20));
        _link.Down["88.709"] = false;

        Assert.True((await Resolve("88.709.911/S-1")).Value!.Stale);
        var afterFirst = _link.Calls("resolve", "88.709");
        Assert.True((await Resolve("88.709.911/S-1")).Value!.Stale);
        Assert.Equal(afterFirst, _link.Calls("resolve", "88.709"));

        _node.Time.Advance(TimeSpan.FromSeconds(_options.StaleRetrySeconds + 1));
        _link.Down.TryRemove("88.709", out _);
        var fresh = await Resolve("88.709.911/S-1");
        Assert.False(fresh.Value!.Stale);
        Assert.True(_link.Calls("resolve", "88.709") > afterFirst);
    }

    [Fact]
    public async Task A_prefix_never_seen_while_the_top_level_is_down_is_code_2_upstream_unavailable()
    {
        _link.Down["88"] = true;

        var outcome = await Resolve("88.711.1/NEVER");

        Assert.Equal(HandleResponseCode.Error, outcome.Code);
        Assert.Equal(FederatedResolver.UpstreamUnavailable, outcome.Reason);
    }

    [Fact]
    public async Task With_the_top_level_down_a_prefix_seen_before_still_resolves_by_its_stale_referral()
    {
        await Resolve("88.709.911/R-1");
        _node.Time.Advance(TimeSpan.FromMinutes(20));
        _link.Down["88"] = true;

        var outcome = await Resolve("88.709.911/R-2");

        Assert.True(outcome.IsSuccess, outcome.Message);
        Assert.Equal("https://a.test/88.709.911/R-2", Values.DataText(outcome.Value.Values.Single()));
    }

    [Fact]
    public async Task A_node_that_is_no_longer_responsible_makes_the_referral_be_looked_up_afresh()
    {
        await Resolve("88.709.911/M-1");

        // 88.709.911 moved to its own node: A now says it is not responsible, the top level knows the new node.
        _link.Resolves["88.709"] = _ => new RemoteAnswer(HandleResponseCode.ServerNotResponsible, "moved");
        _link.Referrals["88"] = _ => Sites.Refer("88.709.911");
        _link.Resolves["88.709.911"] = handle => Sites.Record(handle, "https://moved.test/" + handle);

        var outcome = await Resolve("88.709.911/M-2");

        Assert.Equal("https://moved.test/88.709.911/M-2", Values.DataText(outcome.Value!.Values.Single()));
        Assert.Equal(2, _link.Calls("referral", "88"));
    }

    [Fact]
    public async Task A_handle_the_top_level_knows_no_node_for_is_not_found()
    {
        var outcome = await Resolve("88.799/NOBODY");

        Assert.Equal(HandleResponseCode.HandleNotFound, outcome.Code);
        Assert.Contains("no node of the hierarchy holds prefix 88.799", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upward_referrals_are_followed_to_a_node_that_knows()
    {
        // An enterprise node's parent (a secondary) does not know 88.709: it refers up to the top level.
        var options = Options(RecursionMode.All);
        options.Parent.Prefix = "88.710";
        options.Parent.Endpoints.Clear();
        options.Parent.Endpoints.Add("https://grpc.88.710.test");
        using var enterprise = new Node(nodePrefix: "88.710.5", federation: options, link: _link);
        _link.Referrals["88.710"] = _ => Sites.Refer("88", upward: true);

        var outcome = await enterprise.Resolver.ResolveAsync(Caller.Anonymous("10.0.0.1"), "88.709.911/U-1", ValueFilter.All, new ResolveMode(false), Ct);

        Assert.True(outcome.IsSuccess, outcome.Message);
        Assert.Equal(1, _link.Calls("referral", "88.710"));
        Assert.Equal(1, _link.Calls("referral", "88"));
    }

    private FederationOptions Options(RecursionMode recursion)
    {
        var options = new FederationOptions { Recursion = recursion, MaxReferrals = _options.MaxReferrals };
        options.Parent.Prefix = "88";
        options.Parent.Endpoints.Add("https://grpc.88.test");
        return options;
    }
}
