using IdResolution.Core.Records;
using IdResolution.Core.Security;
using IdResolution.Core.Tests.Support;

namespace IdResolution.Core.Tests.Administration;

/// <summary>Handle.Net's "home a prefix" on a node holding 88: held with or without an owner, repeatable, refused outside.</summary>
public sealed class PrefixHomingTests : IDisposable
{
    private static readonly Caller Admin = TestCallers.Administrator;
    private readonly Node _node = new();

    public void Dispose() => _node.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_bare_prefix_is_homed_once_with_only_its_status_and_homing_it_again_changes_nothing()
    {
        var homed = await _node.Core.Prefixes.HomeAsync(Admin, "0.NA/88.1", owner: null, Ct);

        Assert.True(homed.IsSuccess, homed.Message);
        Assert.True(homed.Value.Created);
        Assert.Equal(new AllocatedPrefix("88.1", null, false), homed.Value.Prefix);
        var record = (await _node.Store.GetAsync("0.NA/88.1", Ct))!;
        Assert.Equal(ReservedTypes.PrefixStatus, Assert.Single(record.Values).Type);

        var again = await _node.Core.Prefixes.HomeAsync(Admin, "88.1", owner: null, Ct);

        Assert.False(again.Value!.Created);
        Assert.Equal(record.Version, (await _node.Store.GetAsync("0.NA/88.1", Ct))!.Version);
    }

    [Fact]
    public async Task With_an_owner_the_prefix_is_allocated_and_another_owner_is_refused()
    {
        Assert.True((await _node.Core.Accounts.CreateAsync(Admin, "acme", "acme-password", AccountRole.Enterprise, Ct)).IsSuccess);
        Assert.True((await _node.Core.Accounts.CreateAsync(Admin, "other", "other-password", AccountRole.Enterprise, Ct)).IsSuccess);

        var homed = await _node.Core.Prefixes.HomeAsync(Admin, "88.709.911", "acme", Ct);
        Assert.True(homed.Value!.Created);
        Assert.Equal("acme", homed.Value.Prefix.Owner);
        Assert.NotNull((await _node.Store.GetAsync("0.NA/88.709.911", Ct))!.Find(100));

        Assert.False((await _node.Core.Prefixes.HomeAsync(Admin, "88.709.911", "acme", Ct)).Value!.Created);
        Assert.False((await _node.Core.Prefixes.HomeAsync(Admin, "88.709.911", null, Ct)).Value!.Created);
        var taken = await _node.Core.Prefixes.HomeAsync(Admin, "88.709.911", "other", Ct);
        Assert.Equal(HandleResponseCode.HandleAlreadyExists, taken.Code);
        Assert.Contains("allocated to acme", taken.Message, StringComparison.Ordinal);
        Assert.Equal(HandleResponseCode.HandleNotFound, (await _node.Core.Prefixes.HomeAsync(Admin, "88.709.912", "nobody", Ct)).Code);
    }

    [Fact]
    public async Task The_own_prefix_is_held_already_and_others_are_refused()
    {
        var own = await _node.Core.Prefixes.HomeAsync(Admin, "88", null, Ct);
        Assert.True(own.IsSuccess);
        Assert.False(own.Value.Created);
        Assert.Null(await _node.Store.GetAsync("0.NA/88", Ct));

        Assert.Equal(HandleResponseCode.InvalidHandle, (await _node.Core.Prefixes.HomeAsync(Admin, "99.1", null, Ct)).Code);
        Assert.Equal(HandleResponseCode.InvalidHandle, (await _node.Core.Prefixes.HomeAsync(Admin, "88..1", null, Ct)).Code);
        var acme = Caller.Admin(new ValueReference("0.USER/acme", 300), "acme", "127.0.0.1");
        Assert.Equal(HandleResponseCode.InsufficientPermissions, (await _node.Core.Prefixes.HomeAsync(acme, "88.1", null, Ct)).Code);
        Assert.Null(await _node.Store.GetAsync("0.NA/88.1", Ct));
    }
}
