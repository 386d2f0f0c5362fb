using System.Net;
using IdResolution.Core.Administration;
using IdResolution.Core.Records;
using IdResolution.Core.Security;
using IdResolution.Core.Tests.Support;

namespace IdResolution.Core.Tests.Security;

/// <summary>
/// An enterprise's own prefix handle: what its HS_ADMIN grants it may do there (an HS_SITE for its own
/// node), except what the node put there to govern the prefix (its status and its HS_ADMIN).
/// </summary>
public sealed class PrefixHandleValuesTests : IDisposable
{
    private static readonly Caller Acme = Caller.Admin(new ValueReference("0.USER/acme", 300), "acme", "127.0.0.1");
    private readonly Node _node = new();

    public void Dispose() => _node.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_enterprise_adds_changes_and_removes_a_site_value_on_its_own_prefix_handle()
    {
        await AllocateAsync("88.709.911", "acme");
        var site = new HandleValue { Index = 5, Type = WellKnownTypes.Site, Data = Site(IPAddress.Loopback) };

        var added = await _node.Registrar.AddValuesAsync(Acme, "0.NA/88.709.911", [site], Ct);
        Assert.True(added.IsSuccess, added.Message);
        var moved = site with { Data = Site(IPAddress.Parse("127.0.0.2")) };
        Assert.True((await _node.Registrar.ModifyValuesAsync(Acme, "0.NA/88.709.911", [moved], Ct)).IsSuccess);
        Assert.Equal(moved.Data.ToArray(), (await _node.ResolveAsync("0.NA/88.709.911")).Value!.Record.Find(5)!.Data.ToArray());
        Assert.True((await _node.Registrar.RemoveValuesAsync(Acme, "0.NA/88.709.911", [5], Ct)).IsSuccess);
        Assert.Null((await _node.ResolveAsync("0.NA/88.709.911")).Value!.Record.Find(5));
    }

    [Fact]
    public async Task The_nodes_status_and_admin_values_stay_out_of_the_enterprises_reach()
    {
        await AllocateAsync("88.709.911", "acme");
        var before = (await _node.ResolveAsync("0.NA/88.709.911")).Value!.Record;
        var ownAdmin = before.Find(PrefixAuthority.OwnerAdminIndex)!;
        var everything = new AdminValue("0.USER/acme", 300, AdminPermissions.All);
        var stranger = new AdminValue("0.USER/mallory", 300, AdminPermissions.All);

        Assert.Equal(HandleResponseCode.InsufficientPermissions, (await _node.Registrar.ModifyValuesAsync(Acme, "0.NA/88.709.911",
            [ownAdmin with { Data = everything.Encode() }], Ct)).Code);
        Assert.Equal(HandleResponseCode.InsufficientPermissions, (await _node.Registrar.AddValuesAsync(Acme, "0.NA/88.709.911",
            [new HandleValue { Index = 101, Type = WellKnownTypes.Admin, Data = stranger.Encode() }], Ct)).Code);
        Assert.Equal(HandleResponseCode.InsufficientPermissions, (await _node.Registrar.RemoveValuesAsync(Acme, "0.NA/88.709.911", [PrefixAuthority.OwnerAdminIndex], Ct)).Code);
        Assert.Equal(HandleResponseCode.InsufficientPermissions, (await _node.Registrar.ModifyValuesAsync(Acme, "0.NA/88.709.911",
            [Values.Text(PrefixAuthority.StatusIndex, ReservedTypes.PrefixStatus, "suspended")], Ct)).Code);
        Assert.Equal(HandleResponseCode.InsufficientPermissions, (await _node.Registrar.DeleteAsync(Acme, "0.NA/88.709.911", Ct)).Code);

        var after = (await _node.ResolveAsync("0.NA/88.709.911")).Value!.Record;
        Assert.Equal(before.Version, after.Version);
    }

    [Fact]
    public async Task Another_enterprises_prefix_handle_and_a_suspended_one_are_refused()
    {
        await AllocateAsync("88.709.911", "acme");
        await AllocateAsync("88.709.912", "other");
        var note = Values.Text(7, "DESC", "ours");

        Assert.Equal(HandleResponseCode.InsufficientPermissions, (await _node.Registrar.AddValuesAsync(Acme, "0.NA/88.709.912", [note], Ct)).Code);
        Assert.True((await _node.Core.Prefixes.SetSuspendedAsync(TestCallers.Administrator, "88.709.911", true, Ct)).IsSuccess);
        var refused = await _node.Registrar.AddValuesAsync(Acme, "0.NA/88.709.911", [note], Ct);
        Assert.Equal(HandleResponseCode.InsufficientPermissions, refused.Code);
        Assert.Contains("suspended", refused.Message, StringComparison.Ordinal);
    }

    private static byte[] Site(IPAddress address) =>
        new SiteInfo { Servers = [new SiteServer(1, address, Array.Empty<byte>(), [new SiteInterface(SiteServiceType.AdminAndQuery, SiteTransport.Tcp, 2641)])] }.Encode();

    private async Task AllocateAsync(string prefix, string owner)
    {
        Assert.True((await _node.Core.Accounts.CreateAsync(TestCallers.Administrator, owner, "a-long-password-" + owner, AccountRole.Enterprise, Ct)).IsSuccess);
        Assert.True((await _node.Core.Prefixes.AllocateAsync(TestCallers.Administrator, prefix, owner, Ct)).IsSuccess);
    }
}
