namespace IdResolution.Core.Records;

/// <summary>The twelve HS_ADMIN permission bits (bit 0 = add handle ... bit 11 = list handles).</summary>
[Flags]
public enum AdminPermissions
{
    None = 0,
    AddHandle = 1 << 0,
    DeleteHandle = 1 << 1,
    AddDerivedPrefix = 1 << 2,
    DeleteDerivedPrefix = 1 << 3,
    ModifyValue = 1 << 4,
    RemoveValue = 1 << 5,
    AddValue = 1 << 6,
    ModifyAdmin = 1 << 7,
    RemoveAdmin = 1 << 8,
    AddAdmin = 1 << 9,
    ReadValue = 1 << 10,
    ListHandles = 1 << 11,
    All = (1 << 12) - 1,
}

internal static class AdminPermissionBits
{
    public const int Count = 12;
}
