using System.Diagnostics;
using System.Security.Cryptography;
using Grpc.Core;
using IdResolution.Caching.Redis.Tests.Support;
using IdResolution.Core;
using IdResolution.Core.Federation;
using IdResolution.Federation.Tests.Infrastructure;
using Contract = IdResolution.Contracts.V1;

namespace IdResolution.Federation.Tests;

/// <summary>Every call answers or gives up in time; a failing node is cut off on its own; its sites back each other up.</summary>
public sealed class ResilienceTests : IAsyncLifetime
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly List<RemoteServer> _servers = [];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        _key.Dispose();
    }

    [Fact]
    public async Task A_node_that_never_answers_is_given_up_on_within_twice_the_timeout()
    {
        var silent = await Start();
        silent.Script.Silent();
        using var link = new GrpcNodeLink(TestLinks.Options(_key, timeoutMilliseconds: 400));

        var clock = Stopwatch.StartNew();
        var failure = await Assert.ThrowsAsync<RemoteUnavailableException>(() => link.ResolveAsync(TestLinks.Node("88.710", silent.Url), "88.710/x", false, Token).AsTask().WaitAsync(TimeSpan.FromSeconds(30), Token));
        clock.Stop();

        Assert.False(failure.CircuitOpen);
        Assert.Equal("88.710", failure.NodeId);
        Assert.Contains("did not answer Resolve in time", failure.Message, StringComparison.Ordinal);
        // 2 × 400 ms is the bound; the margin covers timers firing late on a loaded machine, not a hang.
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(800) + TimeSpan.FromSeconds(5), $"gave up after {clock.Elapsed}");
        // The node is told: its calls are cancelled, not left running.
        await Poll.UntilAsync(() => silent.Script.Active == 0, "the silent node saw its calls cancelled");
        Assert.True(silent.Script.Calls >= 1);
    }

    [Fact]
    public async Task A_filing_to_a_silent_parent_is_given_up_on_too()
    {
        var silent = await Start();
        silent.Script.Silent();
        using var link = new GrpcNodeLink(TestLinks.Options(_key, timeoutMilliseconds: 300));

        var failure = await Assert.ThrowsAsync<RemoteUnavailableException>(() =>
            link.FileAsync(TestLinks.Node("88", silent.Url), [new Filing("0.NA/88.709.1", 1, [], false, DateTimeOffset.UnixEpoch)], Token).AsTask().WaitAsync(TimeSpan.FromSeconds(30), Token));

        Assert.Contains("did not answer File in time", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_repeated_failures_the_circuit_refuses_at_once_without_a_call_and_another_node_is_unaffected()
    {
        var failing = await Start();
        failing.Script.Failing(StatusCode.Unavailable);
        var healthy = await Start();
        using var link = new GrpcNodeLink(TestLinks.Options(_key, breakerMinimumThroughput: 4, breakDuration: TimeSpan.FromMinutes(1)));
        var down = TestLinks.Node("88.710", failing.Url);
        var up = TestLinks.Node("88.711", healthy.Url);

        var first = await Assert.ThrowsAsync<RemoteUnavailableException>(() => link.ResolveAsync(down, "88.710/x", false, Token).AsTask());
        Assert.Contains(first.CircuitOpen ? "circuit is open" : "answered Unavailable", first.Message, StringComparison.Ordinal);
        for (var i = 0; i < 10 && !link.IsCircuitOpen(down); i++)
        {
            await Assert.ThrowsAsync<RemoteUnavailableException>(() => link.ResolveAsync(down, "88.710/x", false, Token).AsTask());
        }

        Assert.True(link.IsCircuitOpen(down));
        var reached = failing.Script.Calls;
        var refused = await Assert.ThrowsAsync<RemoteUnavailableException>(() => link.ResolveAsync(down, "88.710/y", false, Token).AsTask());
        var refusedReferral = await Assert.ThrowsAsync<RemoteUnavailableException>(() => link.GetReferralAsync(down, "88.710/y", Token).AsTask());
        var refusedFiling = await Assert.ThrowsAsync<RemoteUnavailableException>(() => link.FileAsync(down, [new Filing("0.NA/88.710.1", 1, [], false, DateTimeOffset.UnixEpoch)], Token).AsTask());

        Assert.All([refused, refusedReferral, refusedFiling], failure => Assert.True(failure.CircuitOpen));
        Assert.Contains("circuit is open", refused.Message, StringComparison.Ordinal);
        Assert.Equal(reached, failing.Script.Calls);

        Assert.Equal(HandleResponseCode.HandleNotFound, (await link.ResolveAsync(up, "88.711/x", false, Token)).Code);
        Assert.False(link.IsCircuitOpen(up));
    }

    [Fact]
    public async Task A_dead_first_site_fails_over_to_the_next_one()
    {
        var second = await Start();
        using var link = new GrpcNodeLink(TestLinks.Options(_key));
        var node = TestLinks.Node("88.710", RemoteServer.ClosedUrl(), second.Url);

        Assert.Equal(HandleResponseCode.HandleNotFound, (await link.ResolveAsync(node, "88.710/x", false, Token)).Code);
        Assert.Equal(HandleResponseCode.ServerNotResponsible, (await link.GetReferralAsync(node, "88.710/x", Token)).Code);
        Assert.Equal(2, second.Script.Calls);
    }

    [Fact]
    public async Task A_dead_site_does_not_open_the_circuit_while_another_site_of_the_node_answers()
    {
        var second = await Start();
        using var link = new GrpcNodeLink(TestLinks.Options(_key, breakerMinimumThroughput: 2));
        var node = TestLinks.Node("88.710", RemoteServer.ClosedUrl(), second.Url);

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HandleResponseCode.HandleNotFound, (await link.ResolveAsync(node, "88.710/x", false, Token)).Code);
        }

        Assert.False(link.IsCircuitOpen(node));
        Assert.Equal(20, second.Script.Calls);
    }

    [Fact]
    public async Task A_slow_first_site_is_hedged_the_next_site_answers_long_before_the_timeout()
    {
        var slow = await Start();
        slow.Script.Silent();
        var fast = await Start();
        using var link = new GrpcNodeLink(TestLinks.Options(_key, timeoutMilliseconds: 30_000, hedgingDelay: TimeSpan.FromMilliseconds(100)));

        // Without hedging this waits for the 30 s attempt timeout and the guard below fails first.
        var answer = await link.ResolveAsync(TestLinks.Node("88.710", slow.Url, fast.Url), "88.710/x", false, Token).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Token);

        Assert.Equal(HandleResponseCode.HandleNotFound, answer.Code);
        Assert.Equal((1, 1), (slow.Script.Calls, fast.Script.Calls));
        await Poll.UntilAsync(() => slow.Script.Active == 0, "the slower site's call was cancelled once the other answered");
    }

    [Fact]
    public async Task Filings_are_never_hedged_the_next_site_is_tried_only_after_the_first_gave_up()
    {
        var slow = await Start();
        slow.Script.Silent();
        var fast = await Start();
        fast.Script.File = (request, _) =>
        {
            var reply = new Contract.FileReply();
            reply.Results.Add(request.Filings.Select(f => new Contract.FilingResult { Handle = f.Handle, ResponseCode = 1, Applied = true }));
            return Task.FromResult(reply);
        };
        using var link = new GrpcNodeLink(TestLinks.Options(_key, timeoutMilliseconds: 4000, hedgingDelay: TimeSpan.FromMilliseconds(100)));

        var results = await link.FileAsync(TestLinks.Node("88", slow.Url, fast.Url), [new Filing("0.NA/88.709.1", 1, [], false, DateTimeOffset.UnixEpoch)], Token);

        Assert.True(Assert.Single(results).Applied);
        Assert.Equal((1, 1), (slow.Script.Calls, fast.Script.Calls));
        var gap = Assert.Single(fast.Script.Received).At - Assert.Single(slow.Script.Received).At;
        // A hedge would go after 100 ms; a retry only once the 4 s attempt has timed out (the first call's arrival
        // may lag its sending by the connection set-up on a loaded machine, hence the margin).
        Assert.True(gap >= TimeSpan.FromSeconds(2), $"the second site was called {gap.TotalMilliseconds} ms after the first");
    }

    [Fact]
    public async Task Calls_over_the_in_flight_cap_are_refused_at_once_and_the_cap_is_per_node()
    {
        var held = await Start();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        held.Script.Resolve = async (_, context) =>
        {
            await release.Task.WaitAsync(context.CancellationToken);
            return new Contract.FederatedResolveReply { ResponseCode = 100 };
        };
        var other = await Start();
        using var link = new GrpcNodeLink(TestLinks.Options(_key, timeoutMilliseconds: 20_000, maxInFlight: 2));
        using var measurements = new Measurements(link.Meter);
        var node = TestLinks.Node("88.710", held.Url);

        var first = link.ResolveAsync(node, "88.710/1", false, Token).AsTask();
        var second = link.ResolveAsync(node, "88.710/2", false, Token).AsTask();
        await Poll.UntilAsync(() => held.Script.Active == 2, "both calls reached the node");
        Assert.Equal(2, Assert.Single(measurements.Observe("idres.federation.in_flight"), m => m.Tag("node") == "88.710").Value);

        // Refused while both are still held: "at once" means without waiting for either of them.
        var refused = await Assert.ThrowsAsync<RemoteUnavailableException>(() => link.ResolveAsync(node, "88.710/3", false, Token).AsTask());
        Assert.False(refused.CircuitOpen);
        Assert.Contains("MaxInFlightPerNode", refused.Message, StringComparison.Ordinal);
        Assert.False(first.IsCompleted || second.IsCompleted);
        Assert.Equal(2, held.Script.Calls);
        Assert.Equal(HandleResponseCode.HandleNotFound, (await link.ResolveAsync(TestLinks.Node("88.711", other.Url), "88.711/x", false, Token)).Code);

        release.SetResult();
        Assert.Equal(HandleResponseCode.HandleNotFound, (await first).Code);
        Assert.Equal(HandleResponseCode.HandleNotFound, (await second).Code);
        Assert.Equal(HandleResponseCode.HandleNotFound, (await link.ResolveAsync(node, "88.710/4", false, Token)).Code);
        Assert.Contains(measurements.Of("idres.federation.call.duration"), m => (m.Tag("node"), m.Tag("outcome")) == ("88.710", "busy"));
    }

    [Fact]
    public async Task The_callers_own_cancellation_is_not_reported_as_an_unreachable_node()
    {
        var silent = await Start();
        silent.Script.Silent();
        using var link = new GrpcNodeLink(TestLinks.Options(_key, timeoutMilliseconds: 20_000));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var node = TestLinks.Node("88.710", silent.Url);

        var call = link.ResolveAsync(node, "88.710/x", false, cancel.Token).AsTask();
        await Poll.UntilAsync(() => silent.Script.Active == 1, "the call reached the node");
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.False(link.IsCircuitOpen(node));
    }

    private async Task<RemoteServer> Start()
    {
        var server = await RemoteServer.StartAsync();
        _servers.Add(server);
        return server;
    }
}
