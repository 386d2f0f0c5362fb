using System.Security.Cryptography;
using IdResolution.Core.Federation;
using IdResolution.Core.Identifiers;
using IdResolution.Core.Registration;
using IdResolution.Core.Security;
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

    /// <summary>
    /// A secondary holds its whole tree minus what it has delegated: once the prefix handle of 88.709.911 names a
    /// child node's credentials (an enterprise running its own node), the child's handles are that node's to change,
    /// even for this node's administrator, while the rest of the tree and the prefix handle itself stay writable here.
    /// </summary>
    [Fact]
    public async Task A_secondary_refuses_writes_under_a_prefix_it_has_delegated_to_a_child_node_and_stores_nothing()
    {
        using var node = new Node(nodePrefix: "88.709");
        var administrator = TestCallers.Administrator;

        // Written before the delegation, so an update and a delete have something they must leave alone.
        Assert.True((await node.CreateAsync("88.709.911/E-OLD", Values.Url(1, "https://old.test"))).IsSuccess);
        var before = (await node.Store.GetAsync("88.709.911/E-OLD", Ct))!;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var delegation = await node.CreateAsync("0.NA/88.709.911",
            Values.Text(PrefixSites.StatusIndex, ReservedTypes.PrefixStatus, "active"),
            Values.Text(300, ReservedTypes.NodeCredential, NodeCredential.ForKey(key).ToString()));
        Assert.True(delegation.IsSuccess, delegation.Message);

        var refused = new[]
        {
            ("88.709.911/E-1", await node.Registrar.CreateAsync(administrator, new CreateRequest("88.709.911/E-1", [Values.Url(1, "https://e.test")]), Ct)),
            ("88.709.911.5/deeper", await node.Registrar.CreateAsync(administrator, new CreateRequest("88.709.911.5/deeper", [Values.Url(1, "https://e.test")]), Ct)),
            ("88.709.911/E-OLD", await node.Registrar.CreateAsync(administrator, new CreateRequest("88.709.911/E-OLD", [Values.Url(1, "https://new.test")], Overwrite: true), Ct)),
            ("88.709.911/E-OLD", await node.Registrar.DeleteAsync(administrator, "88.709.911/E-OLD", Ct)),
            ("88.709.911/E-2", (await node.Registrar.CreateBatchAsync(administrator, [new CreateRequest("88.709.911/E-2", [Values.Url(1, "https://e.test")])], Ct)).Single()),
        };
        var beside = await node.Registrar.CreateAsync(administrator, new CreateRequest("88.709.912/kept", [Values.Url(1, "https://k.test")]), Ct);
        var prefixHandle = await node.Registrar.AddValuesAsync(administrator, "0.NA/88.709.911", [Values.Text(3, "DESC", "Acme's node")], Ct);

        foreach (var (handle, outcome) in refused)
        {
            Assert.Equal(HandleResponseCode.ServerNotResponsible, outcome.Code);
            Assert.Equal($"'{handle}' is under prefix 88.709.911, which this node has delegated to a child node; send the request to that node", outcome.Message);
        }

        Assert.Null(await node.Store.GetAsync("88.709.911/E-1", Ct));
        Assert.Null(await node.Store.GetAsync("88.709.911.5/DEEPER", Ct));
        Assert.Null(await node.Store.GetAsync("88.709.911/E-2", Ct));
        Assert.Equal(before.Version, (await node.Store.GetAsync("88.709.911/E-OLD", Ct))!.Version);
        Assert.True(beside.IsSuccess, beside.Message);
        Assert.True(prefixHandle.IsSuccess, prefixHandle.Message);
    }

    [Fact]
    public async Task The_nodes_own_directories_still_list()
    {
        using var node = new Node();
        Assert.True((await node.Registrar.ListAsync(TestCallers.Administrator, "0.NA", 10, null, Ct)).IsSuccess);
        Assert.True((await node.Registrar.ListAsync(TestCallers.Administrator, "0.USER", 10, null, Ct)).IsSuccess);
    }
}
