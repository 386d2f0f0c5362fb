using IdResolution.Core.Records;

namespace IdResolution.Core.Security;

/// <summary>Maps what a write changes to the HS_ADMIN permission bits it needs.</summary>
internal static class AdminOperation
{
    public static AdminPermissions ForAdded(HandleValue value) => IsAdmin(value) ? AdminPermissions.AddAdmin : AdminPermissions.AddValue;

    public static AdminPermissions ForModified(HandleValue value) => IsAdmin(value) ? AdminPermissions.ModifyAdmin : AdminPermissions.ModifyValue;

    public static AdminPermissions ForRemoved(HandleValue value) => IsAdmin(value) ? AdminPermissions.RemoveAdmin : AdminPermissions.RemoveValue;

    private static bool IsAdmin(HandleValue value) => ValueDataFormats.HasType(value.Type, WellKnownTypes.Admin);

    /// <summary>The bits needed to turn <paramref name="before"/> into <paramref name="after"/>, and the values whose adminWrite flag is off but would change.</summary>
    public static (AdminPermissions Needed, HandleValue? Locked) Diff(HandleRecord before, IReadOnlyList<HandleValue> after)
    {
        var needed = AdminPermissions.None;
        HandleValue? locked = null;
        var next = new Dictionary<int, HandleValue>(after.Count);
        foreach (var value in after)
        {
            next[value.Index] = value;
        }

        foreach (var old in before.Values)
        {
            if (!next.TryGetValue(old.Index, out var replacement))
            {
                needed |= ForRemoved(old);
                locked ??= (old.Permissions & ValuePermissions.AdminWrite) == 0 ? old : null;
            }
            else if (!old.SameContent(replacement))
            {
                needed |= ForModified(old) | (IsAdmin(replacement) && !IsAdmin(old) ? AdminPermissions.AddAdmin : AdminPermissions.None);
                locked ??= (old.Permissions & ValuePermissions.AdminWrite) == 0 ? old : null;
            }
        }

        foreach (var value in after)
        {
            if (before.Find(value.Index) is null)
            {
                needed |= ForAdded(value);
            }
        }

        return (needed, locked);
    }
}
