using IdResolution.Core.Federation;
using IdResolution.Core.Identifiers;
using IdResolution.Core.Registration;
using IdResolution.Core.Tests.Support;

namespace IdResolution.Core.Tests.Registration;

/// <summary>Which handles a node holds, decided once in the core, and what a write of anything else answers.</summary>
public sealed class JurisdictionTests
{
    private static readonly HandleGrammar Grammar = new(new HandleSyntaxOptions());

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("88.709/x", Holding.Held)]
    [InlineData("88.709.911/ABC-0001", Holding.Held)]
    [InlineData("88.709.911.7/deeper", Holding.Held)]
    [InlineData("0.NA/88.709", Holding.Held)]
    [InlineData("0.NA/88.709.911", Holding.Held)]
    [InlineData("0.na/88.709.911", Holding.Held)]
    [InlineData("0.USER/acme", Holding.Held)]
    [InlineData("88.7090/x", Holding.NotHeld)]
    [InlineData("88.70/x", Holding.NotHeld)]
    [InlineData("88/x", Holding.NotHeld)]
    [InlineData("88.710.1/x", Holding.NotHeld)]
    [InlineData("99.1/x", Holding.NotHeld)]
    [InlineData("0.NA/88", Holding.NotHeld)]
    [InlineData("0.NA/88.710", Holding.NotHeld)]
    [InlineData("0.NA/99.1", Holding.NotHeld)]
    [InlineData("0.TYPE/URL", Holding.NotHeld)]
    public void A_secondary_holds_its_prefix_the_prefixes_below_it_and_its_accounts(string handle, Holding expected)
    {
        Assert.True(Grammar.TryParse(handle, out var id, out _));
        Assert.Equal(expected, new Jurisdiction(Grammar, "88.709").Decide(id));
    }

    [Theory]
    [InlineData("0.NA/88.709", Holding.Held)]
    [InlineData("0.NA/88.710.3", Holding.Held)]
    [InlineData("88.710.3/x", Holding.Held)]
    [InlineData("0.NA/86.1", Holding.NotHeld)]
    public void A_top_level_holds_the_prefix_handles_of_its_whole_tree(string handle, Holding expected)
    {
        Assert.True(Grammar.TryParse(handle, out var id, out _));
        Assert.Equal(expected, new Jurisdiction(Grammar, "88").Decide(id));
    }

    [Fact]
    public void A_node_prefix_that_is_not_a_prefix_is_refused_at_construction() =>
        Assert.Throws<ArgumentException>(() => new Jurisdiction(Grammar, "88..709"));

    [Fact]
    public async Task Even_an_administrator_cannot_write_or_list_where_the_node_does_not_hold()
    {
        using var node = new Node();
        var administrator = TestCallers.Administrator;

        var create = await node.Registrar.CreateAsync(administrator, new CreateRequest("99.1/x", [Values.Url(1, "https://x.test")]), Ct);
        var prefix = await node.Registrar.CreateAsync(administrator, new CreateRequest("0.NA/99.1", [Values.Text(1, "DESC", "not ours")]), Ct);
        var batch = await node.Registrar.CreateBatchAsync(administrator, [new CreateRequest("88.1/kept", [Values.Url(1, "https://k.test")]), new CreateRequest("77/x", [Values.Url(1, "https://x.test")])], Ct);
        var list = await node.Registrar.ListAsync(administrator, "99.1", 10, null, Ct);

        Assert.Equal(HandleResponseCode.ServerNotResponsible, create.Code);
        Assert.Contains("holds prefix 88", create.Message, StringComparison.Ordinal);
        Assert.Equal(HandleResponseCode.ServerNotResponsible, prefix.Code);
        Assert.Equal([HandleResponseCode.Success, HandleResponseCode.ServerNotResponsible], batch.Select(o => o.Code));
        Assert.Equal(HandleResponseCode.ServerNotResponsible, list.Code);
        Assert.Null(await node.Store.GetAsync("99.1/X", Ct));
        Assert.Null(await node.Store.GetAsync("0.NA/99.1", Ct));
        Assert.Null(await node.Store.GetAsync("77/X", Ct));
    }

    [Fact]
    public async Task The_nodes_own_directories_still_list()
    {
        using var node = new Node();
        Assert.True((await node.Registrar.ListAsync(TestCallers.Administrator, "0.NA", 10, null, Ct)).IsSuccess);
        Assert.True((await node.Registrar.ListAsync(TestCallers.Administrator, "0.USER", 10, null, Ct)).IsSuccess);
    }
}
