using Grpc.Core;
using IdResolution.Caching.Redis.Tests.Support;
using IdResolution.Core;
using IdResolution.Core.Federation;
using IdResolution.Cql.Tests.Server;
using IdResolution.Federation.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace IdResolution.Federation.Tests;

/// <summary>What an operator sees of the links: latency and outcome per node, circuit state, one warning per outage.</summary>
public sealed class TelemetryTests : OneRemoteNode
{
    private const int Unreachable = 601;
    private const int Reachable = 602;
    private const int ProbeFailed = 603;

    [Fact]
    public async Task Calls_are_measured_by_node_method_outcome_and_code_and_the_circuit_state_per_node()
    {
        // Enough calls before the circuit may open that the first failing call ends as what it met, not as refused.
        using var link = new GrpcNodeLink(Options(breakDuration: TimeSpan.FromMinutes(1), minimumThroughput: 6));
        using var measurements = new Measurements(link.Meter);
        var node = TestLinks.Node("88.710", Server.Url);

        await link.ResolveAsync(node, "88.710/x", false, Token);
        Server.Script.Failing(StatusCode.Unavailable);
        await FailUntilOpen(link, node);
        await Assert.ThrowsAsync<RemoteUnavailableException>(() => link.GetReferralAsync(node, "88.710/x", Token).AsTask());

        var calls = measurements.Of("idres.federation.call.duration");
        Assert.Contains(calls, m => (m.Tag("node"), m.Tag("method"), m.Tag("outcome"), m.Tag("code")) == ("88.710", "Resolve", "answered", "100"));
        Assert.Contains(calls, m => (m.Tag("node"), m.Tag("method"), m.Tag("outcome")) == ("88.710", "Resolve", "unavailable"));
        Assert.Contains(calls, m => (m.Tag("node"), m.Tag("method"), m.Tag("outcome")) == ("88.710", "GetReferral", "circuit_open"));
        Assert.All(calls, m => Assert.True(m.Value >= 0));
        Assert.Contains(measurements.Of("idres.federation.retries"), m => m.Tag("node") == "88.710");
        Assert.Equal(1, Assert.Single(measurements.Observe("idres.federation.breaker.state"), m => m.Tag("node") == "88.710").Value);
        Assert.Equal(0, Assert.Single(measurements.Observe("idres.federation.in_flight"), m => m.Tag("node") == "88.710").Value);
    }

    [Fact]
    public async Task Past_the_tag_limit_further_nodes_share_one_tag()
    {
        using var link = new GrpcNodeLink(TestLinks.Options(Key, maxNodeTags: 2));
        using var measurements = new Measurements(link.Meter);

        foreach (var prefix in new[] { "88.710", "88.711", "88.712", "88.713" })
        {
            await link.ResolveAsync(TestLinks.Node(prefix, Server.Url), prefix + "/x", false, Token);
        }

        Assert.Equal(["88.710", "88.711", "other", "other"], measurements.Of("idres.federation.call.duration").Select(m => m.Tag("node")));
        Assert.Equal(["88.710", "88.711", "other"], measurements.Observe("idres.federation.breaker.state").Select(m => m.Tag("node")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_outage_is_warned_about_once_however_often_the_probe_fails_and_its_end_is_logged_with_its_length()
    {
        var logs = new RecordingLoggerFactory();
        using var link = new GrpcNodeLink(Options(breakDuration: TimeSpan.FromMilliseconds(500)), logs);
        var node = TestLinks.Node("88.710", Server.Url);
        Server.Script.Failing(StatusCode.Unavailable);

        await FailUntilOpen(link, node);
        // Each probe after a break fails and re-opens the circuit: the same outage, no new warning.
        await Poll.UntilAsync(async () =>
        {
            if (!link.IsCircuitOpen(node))
            {
                await Assert.ThrowsAsync<RemoteUnavailableException>(() => link.ResolveAsync(node, "88.710/x", false, Token).AsTask());
            }

            return logs.WithId(ProbeFailed).Count >= 2;
        }, "two probes failed");
        Server.Script.Resolve = (_, _) => Task.FromResult(new Contracts.V1.FederatedResolveReply { ResponseCode = 100 });
        await Poll.UntilAsync(async () =>
        {
            if (link.IsCircuitOpen(node))
            {
                return false;
            }

            var answer = await link.ResolveAsync(node, "88.710/x", false, Token);
            return answer.Code == HandleResponseCode.HandleNotFound;
        }, "the node answered again");

        var warning = Assert.Single(logs.WithId(Unreachable));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("Node 88.710 is unreachable (unavailable)", warning.Message, StringComparison.Ordinal);
        var recovered = Assert.Single(logs.WithId(Reachable));
        Assert.Equal(LogLevel.Information, recovered.Level);
        Assert.Matches(@"after an outage of 00:00:0[1-9]|after an outage of 00:00:[1-5]\d", recovered.Message);
        Assert.False(link.IsCircuitOpen(node));
    }

    [Fact]
    public async Task An_open_circuit_stops_refusing_once_its_break_is_over_so_the_next_call_can_probe()
    {
        using var link = new GrpcNodeLink(Options(breakDuration: TimeSpan.FromMilliseconds(500)));
        var node = TestLinks.Node("88.710", Server.Url);
        Server.Script.Failing(StatusCode.Unavailable);

        await FailUntilOpen(link, node);
        await Poll.UntilAsync(() => !link.IsCircuitOpen(node), "the break ended");
        var reached = Server.Script.Calls;
        await Assert.ThrowsAsync<RemoteUnavailableException>(() => link.ResolveAsync(node, "88.710/x", false, Token).AsTask());

        Assert.Equal(reached + 1, Server.Script.Calls);
        Assert.True(link.IsCircuitOpen(node));
    }

    [Fact]
    public async Task A_channel_unused_for_the_idle_time_is_closed_and_opened_again_when_needed()
    {
        using var link = new GrpcNodeLink(TestLinks.Options(Key, channelIdleTimeout: TimeSpan.FromMilliseconds(200)));
        var node = TestLinks.Node("88.710", Server.Url);

        await link.ResolveAsync(node, "88.710/x", false, Token);
        Assert.Equal(1, link.OpenChannels);
        await Poll.UntilAsync(() => link.OpenChannels == 0, "the idle channel was closed");

        Assert.Equal(HandleResponseCode.HandleNotFound, (await link.ResolveAsync(node, "88.710/x", false, Token)).Code);
        Assert.Equal(2, Server.Script.Calls);
    }

    private NodeLinkOptions Options(TimeSpan breakDuration, int minimumThroughput = 2) =>
        TestLinks.Options(Key, breakerMinimumThroughput: minimumThroughput, breakDuration: breakDuration);

    private static async Task FailUntilOpen(GrpcNodeLink link, RemoteNode node)
    {
        for (var i = 0; i < 10 && !link.IsCircuitOpen(node); i++)
        {
            await Assert.ThrowsAsync<RemoteUnavailableException>(() => link.ResolveAsync(node, node.Prefix + "/x", false, Token).AsTask());
        }

        Assert.True(link.IsCircuitOpen(node));
    }
}
