using IdResolution.Core.Federation;
using IdResolution.Core.Security;
using IdResolution.Federation.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace IdResolution.Federation.Tests;

/// <summary>Every call says which node sends it, signed with the node key, as the other node checks it.</summary>
public sealed class CredentialTests : OneRemoteNode
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task Each_call_to_the_parent_carries_an_assertion_that_verifies_against_the_nodeKey_and_names_its_prefix()
    {
        using var link = new GrpcNodeLink(WithParent(), timeProvider: _time);

        await link.ResolveAsync(TestLinks.Node("88", Server.Url), "88.710/x", false, Token);
        await link.GetReferralAsync(TestLinks.Node("88", Server.Url), "88.710/x", Token);
        await link.FileAsync(TestLinks.Node("88", Server.Url), [new Filing("0.NA/88.709.1", 1, [], false, DateTimeOffset.UnixEpoch)], Token);

        var headers = Server.Script.Received.Select(call => call.Authorization).ToList();
        Assert.Equal(3, headers.Count);
        Assert.All(headers, header => Assert.Null(Verify(header, _time.GetUtcNow())));
        Assert.Single(headers.Distinct());
    }

    [Fact]
    public async Task Resolves_at_other_nodes_than_the_parent_are_anonymous_as_those_nodes_cannot_verify_the_assertion()
    {
        using var link = new GrpcNodeLink(WithParent(), timeProvider: _time);

        await link.ResolveAsync(TestLinks.Node("88.710", Server.Url), "88.710/x", false, Token);
        await link.GetReferralAsync(TestLinks.Node("88.709.911", Server.Url), "88.709.911/x", Token);

        var headers = Server.Script.Received.Select(call => call.Authorization).ToList();
        Assert.Equal(2, headers.Count);
        Assert.All(headers, Assert.Null);
    }

    [Fact]
    public async Task An_assertion_is_reused_for_half_its_lifetime_then_replaced_before_the_other_node_would_refuse_it()
    {
        using var link = new GrpcNodeLink(WithParent(), timeProvider: _time);
        var node = TestLinks.Node("88", Server.Url);

        await link.ResolveAsync(node, "88.710/x", false, Token);
        _time.Advance(NodeAssertion.MaxLifetime / 2 - TimeSpan.FromSeconds(1));
        await link.ResolveAsync(node, "88.710/x", false, Token);
        _time.Advance(TimeSpan.FromSeconds(2));
        await link.ResolveAsync(node, "88.710/x", false, Token);

        var headers = Server.Script.Received.Select(call => call.Authorization).ToList();
        Assert.Equal(headers[0], headers[1]);
        Assert.NotEqual(headers[1], headers[2]);
        Assert.Null(Verify(headers[2], _time.GetUtcNow()));
        // The first one is still valid when it is replaced: a call sent just before never arrives expired.
        Assert.Null(Verify(headers[1], _time.GetUtcNow()));
    }

    private NodeLinkOptions WithParent()
    {
        var options = TestLinks.Options(Key);
        options.Federation.Parent.Prefix = "88";
        options.Federation.Parent.Endpoints.Add(Server.Url);
        return options;
    }

    private string? Verify(string? header, DateTimeOffset now)
    {
        Assert.NotNull(header);
        Assert.StartsWith(NodeAssertion.Scheme + " ", header, StringComparison.Ordinal);
        var assertion = header[(NodeAssertion.Scheme.Length + 1)..];
        Assert.Equal(TestLinks.OwnPrefix, NodeAssertion.ClaimedIssuer(assertion));
        return NodeAssertion.Verify(assertion, TestLinks.OwnPrefix, [NodeCredential.ForKey(Key).Value], now);
    }
}
