using IdResolution.Core.Records;
using IdResolution.Core.Registration;
using IdResolution.Core.Resolution;
using IdResolution.Core.Security;
using IdResolution.Core.Tests.Support;
using IdResolution.Core.Administration;

namespace IdResolution.Core.Tests.Security;

/// <summary>Ownership, suspension, reserved values, groups and anonymous callers, through the real registrar.</summary>
public sealed class AuthorizationPolicyTests : IDisposable
{
    private static readonly Caller Acme = Caller.Admin(new ValueReference("0.USER/acme", 300), "acme", "127.0.0.1");
    private static readonly Caller Other = Caller.Admin(new ValueReference("0.USER/other", 300), "other", "127.0.0.1");
    private readonly Node _node = new();

    [Fact]
    public async Task An_enterprise_writes_only_under_its_own_prefix()
    {
        await AllocateAsync("88.709.911", "acme");
        await AllocateAsync("88.709.912", "other");

        Assert.True((await CreateAs(Acme, "88.709.911/A-1")).IsSuccess);
        Assert.Equal(HandleResponseCode.InsufficientPermissions, (await CreateAs(Acme, "88.709.912/A-1")).Code);
        Assert.Equal(HandleResponseCode.InsufficientPermissions, (await CreateAs(Acme, "88.709/A-1")).Code);
        Assert.Equal(HandleResponseCode.InsufficientPermissions, (await _node.Registrar.DeleteAsync(Other, "88.709.911/A-1", Ct)).Code);
        Assert.Equal(HandleResponseCode.HandleNotFound, (await _node.ResolveAsync("88.709.912/A-1")).Code);
    }

    [Fact]
    public async Task Anonymous_writes_need_authentication_and_touch_no_store()
    {
        var anonymous = Caller.Anonymous("10.0.0.1");
        var outcome = await CreateAs(anonymous, "88.709.911/A-1");
        Assert.Equal(HandleResponseCode.AuthenticationNeeded, outcome.Code);
        Assert.Equal(0, _node.Store.Reads);
    }

    [Fact]
    public async Task A_suspended_prefix_resolves_but_cannot_be_written_until_reinstated()
    {
        await AllocateAsync("88.709.911", "acme");
        Assert.True((await CreateAs(Acme, "88.709.911/A-1")).IsSuccess);
        Assert.True((await _node.Core.Prefixes.SetSuspendedAsync(TestCallers.Administrator, "88.709.911", true, Ct)).IsSuccess);

        Assert.Equal(HandleResponseCode.InsufficientPermissions, (await CreateAs(Acme, "88.709.911/A-2")).Code);
        Assert.True((await _node.ResolveAsync("88.709.911/A-1")).IsSuccess);

        Assert.True((await _node.Core.Prefixes.SetSuspendedAsync(TestCallers.Administrator, "88.709.911", false, Ct)).IsSuccess);
        Assert.True((await CreateAs(Acme, "88.709.911/A-2")).IsSuccess);
    }

    [Fact]
    public async Task An_enterprise_cannot_lift_its_own_suspension_or_touch_accounts()
    {
        await AllocateAsync("88.709.911", "acme");
        Assert.True((await _node.Core.Prefixes.SetSuspendedAsync(TestCallers.Administrator, "88.709.911", true, Ct)).IsSuccess);
        var status = Values.Text(PrefixAuthority.StatusIndex, ReservedTypes.PrefixStatus, "active");
        Assert.Equal(HandleResponseCode.InsufficientPermissions, (await _node.Registrar.ModifyValuesAsync(Acme, "0.NA/88.709.911", [status], Ct)).Code);
        Assert.True(AuthorizationPolicy.IsSuspended((await _node.ResolveAsync("0.NA/88.709.911")).Value!.Record));
        Assert.Equal(HandleResponseCode.InsufficientPermissions, (await CreateAs(Acme, "0.USER/acme2")).Code);
    }

    [Fact]
    public async Task Membership_of_an_admin_group_grants_the_group_permissions()
    {
        await AllocateAsync("88.709.911", "acme");
        var group = new HandleValue { Index = 200, Type = WellKnownTypes.ValueList, Data = ValueList.Encode([new ValueReference("0.USER/other", 300)]) };
        var groupAdmin = new HandleValue { Index = 101, Type = WellKnownTypes.Admin, Data = new AdminValue("0.NA/88.709.911", 200, AdminPermissions.AddHandle).Encode() };
        Assert.True((await _node.Registrar.AddValuesAsync(TestCallers.Administrator, "0.NA/88.709.911", [group, groupAdmin], Ct)).IsSuccess);

        Assert.True((await CreateAs(Other, "88.709.911/BY-GROUP")).IsSuccess);
        Assert.Equal(HandleResponseCode.InsufficientPermissions, (await _node.Registrar.DeleteAsync(Other, "88.709.911/BY-GROUP", Ct)).Code);
    }

    [Fact]
    public async Task Private_values_reach_their_owner_but_never_anonymous_callers()
    {
        await AllocateAsync("88.709.911", "acme");
        var secret = Values.Url(2, "https://internal.test", permissions: ValuePermissions.AdminRead | ValuePermissions.AdminWrite);
        Assert.True((await _node.Registrar.CreateAsync(Acme, new CreateRequest("88.709.911/P-1", [Values.Url(1, "https://public.test"), secret]), Ct)).IsSuccess);

        Assert.Equal([1], (await _node.ResolveAsync("88.709.911/P-1")).Value!.Values.Select(v => v.Index));
        var owner = await _node.Resolver.ResolveAsync(Acme, "88.709.911/P-1", ValueFilter.All, false, Ct);
        Assert.Equal([1, 2], owner.Value!.Values.Select(v => v.Index));
        var stranger = await _node.Resolver.ResolveAsync(Other, "88.709.911/P-1", ValueFilter.All, false, Ct);
        Assert.Equal([1], stranger.Value!.Values.Select(v => v.Index));
    }

    [Fact]
    public async Task Every_write_is_audited_with_who_what_and_the_result()
    {
        await AllocateAsync("88.709.911", "acme");
        await CreateAs(Acme, "88.709.911/AUDITED");
        await CreateAs(Other, "88.709.911/DENIED");

        var entries = _node.Audit.Entries.Where(e => e.Prefix == "88.709.911" && e.Operation == "create").ToList();
        Assert.Contains(entries, e => e.Who == "acme" && e.Target == "88.709.911/AUDITED" && e.ResponseCode == 1);
        Assert.Contains(entries, e => e.Who == "other" && e.Target == "88.709.911/DENIED" && e.ResponseCode == 401 && e.ClientAddress == "127.0.0.1");
    }

    public void Dispose() => _node.Dispose();

    private async Task AllocateAsync(string prefix, string owner)
    {
        if (await _node.Core.Accounts.FindAsync(owner, Ct) is null)
        {
            Assert.True((await _node.Core.Accounts.CreateAsync(TestCallers.Administrator, owner, "password-" + owner, AccountRole.Enterprise, Ct)).IsSuccess);
        }

        var allocated = await _node.Core.Prefixes.AllocateAsync(TestCallers.Administrator, prefix, owner, Ct);
        Assert.True(allocated.IsSuccess, allocated.Message);
    }

    private ValueTask<Outcome<WriteReceipt>> CreateAs(Caller caller, string handle) =>
        _node.Registrar.CreateAsync(caller, new CreateRequest(handle, [Values.Url(1, "https://x.test")]), Ct);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
}
