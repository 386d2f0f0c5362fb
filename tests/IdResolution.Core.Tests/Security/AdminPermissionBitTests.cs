using IdResolution.Core.Records;
using IdResolution.Core.Registration;
using IdResolution.Core.Resolution;
using IdResolution.Core.Security;
using IdResolution.Core.Tests.Support;
using IdResolution.Core.Administration;

namespace IdResolution.Core.Tests.Security;

/// <summary>
/// Each of the twelve HS_ADMIN permission bits, through the real registrar and resolver: granted, the
/// operation it governs succeeds; cleared (every other bit still set), the same operation is refused
/// with INSUFFICIENT_PERMISSIONS and nothing changes.
/// </summary>
public sealed class AdminPermissionBitTests : IDisposable
{
    private const string Prefix = "88.709.911";
    private const string Target = Prefix + "/ITEM-1";
    private const string Derived = "0.NA/" + Prefix + ".5";
    private static readonly ValueReference Identity = new("0.USER/acme", ReservedTypes.AccountIdentityIndex);
    private static readonly Caller Enterprise = Caller.Admin(Identity, "acme", "127.0.0.1");
    private readonly Node _node = new();

    public static TheoryData<AdminPermissions, bool> Bits()
    {
        var data = new TheoryData<AdminPermissions, bool>();
        for (var bit = 0; bit < 12; bit++)
        {
            data.Add((AdminPermissions)(1 << bit), true);
            data.Add((AdminPermissions)(1 << bit), false);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Bits))]
    public async Task A_bit_grants_its_operation_and_its_absence_refuses_it(AdminPermissions bit, bool granted)
    {
        var permissions = granted ? AdminPermissions.All : AdminPermissions.All & ~bit;
        await ArrangeAsync(bit, permissions);
        var before = await SnapshotAsync();

        var code = await ActAsync(bit);

        if (granted)
        {
            Assert.Equal(HandleResponseCode.Success, code);
        }
        else
        {
            Assert.Equal(HandleResponseCode.InsufficientPermissions, code);
            Assert.Equal(before, await SnapshotAsync());
        }
    }

    public void Dispose() => _node.Dispose();

    private async Task ArrangeAsync(AdminPermissions bit, AdminPermissions permissions)
    {
        await Admin(_node.Registrar.CreateAsync(TestCallers.Administrator, new CreateRequest("0.NA/" + Prefix,
            [Status("active"), AdminOf(WellKnownTypes.AdminIndex, permissions)]), Ct));

        var values = new List<HandleValue> { Values.Url(1, "https://one.test"), Values.Text(2, "EMAIL", "two@x.test") };
        values.Add(Values.Url(3, "https://private.test", permissions: ValuePermissions.AdminRead | ValuePermissions.AdminWrite));
        if (bit is AdminPermissions.ModifyAdmin or AdminPermissions.RemoveAdmin)
        {
            // The handle's own admins now govern it.
            values.Add(AdminOf(100, permissions));
            values.Add(AdminOf(101, AdminPermissions.ReadValue));
        }

        await Admin(_node.Registrar.CreateAsync(TestCallers.Administrator, new CreateRequest(Target, values), Ct));
        if (bit == AdminPermissions.DeleteDerivedPrefix)
        {
            await Admin(_node.Registrar.CreateAsync(TestCallers.Administrator, new CreateRequest(Derived, [Status("active")]), Ct));
        }
    }

    private async Task<HandleResponseCode> ActAsync(AdminPermissions bit)
    {
        var registrar = _node.Registrar;
        switch (bit)
        {
            case AdminPermissions.AddHandle:
                return (await registrar.CreateAsync(Enterprise, new CreateRequest(Prefix + "/NEW", [Values.Url(1, "https://new.test")]), Ct)).Code;
            case AdminPermissions.DeleteHandle:
                return (await registrar.DeleteAsync(Enterprise, Target, Ct)).Code;
            case AdminPermissions.AddDerivedPrefix:
                return (await registrar.CreateAsync(Enterprise, new CreateRequest(Derived, [Values.Url(1, "https://site.test")]), Ct)).Code;
            case AdminPermissions.DeleteDerivedPrefix:
                return (await registrar.DeleteAsync(Enterprise, Derived, Ct)).Code;
            case AdminPermissions.ModifyValue:
                return (await registrar.ModifyValuesAsync(Enterprise, Target, [Values.Url(1, "https://changed.test")], Ct)).Code;
            case AdminPermissions.RemoveValue:
                return (await registrar.RemoveValuesAsync(Enterprise, Target, [2], Ct)).Code;
            case AdminPermissions.AddValue:
                return (await registrar.AddValuesAsync(Enterprise, Target, [Values.Text(9, "DESC", "added")], Ct)).Code;
            case AdminPermissions.ModifyAdmin:
                return (await registrar.ModifyValuesAsync(Enterprise, Target, [AdminOf(101, AdminPermissions.ListHandles)], Ct)).Code;
            case AdminPermissions.RemoveAdmin:
                return (await registrar.RemoveValuesAsync(Enterprise, Target, [101], Ct)).Code;
            case AdminPermissions.AddAdmin:
                return (await registrar.AddValuesAsync(Enterprise, Target, [AdminOf(102, AdminPermissions.ReadValue)], Ct)).Code;
            case AdminPermissions.ReadValue:
                var resolved = await _node.Resolver.ResolveAsync(Enterprise, Target, ValueFilter.All, authoritative: false, Ct);
                return resolved.Value!.Values.Any(v => v.Index == 3) ? HandleResponseCode.Success : HandleResponseCode.InsufficientPermissions;
            case AdminPermissions.ListHandles:
                return (await registrar.ListAsync(Enterprise, Prefix, 10, null, Ct)).Code;
            default:
                throw new ArgumentOutOfRangeException(nameof(bit));
        }
    }

    private async Task<string> SnapshotAsync()
    {
        var keys = new[] { Target, Prefix + "/NEW", Derived };
        var parts = new List<string>();
        foreach (var key in keys)
        {
            _node.Grammar.TryParse(key, out var id, out _);
            var record = await _node.Store.GetAsync(id!.Key, Ct);
            parts.Add(record is null ? "-" : Convert.ToBase64String(Core.Records.RecordCodec.Encode(record)));
        }

        return string.Join('|', parts);
    }

    private static HandleValue AdminOf(int index, AdminPermissions permissions) => new()
    {
        Index = index,
        Type = WellKnownTypes.Admin,
        Data = new AdminValue(Identity.Handle, Identity.Index, permissions).Encode(),
    };

    private static HandleValue Status(string status) => Values.Text(PrefixAuthority.StatusIndex, ReservedTypes.PrefixStatus, status);

    private static async Task Admin(ValueTask<Outcome<WriteReceipt>> write) => Assert.True((await write).IsSuccess);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
}
