namespace IdResolution.Core.Records;

/// <summary>
/// Text forms of permissions as Handle.Net's JSON writes them: value permissions as four
/// characters <c>adminRead adminWrite publicRead publicWrite</c>, admin permissions as twelve with bit 0 rightmost.
/// </summary>
public static class PermissionText
{
    private static readonly ValuePermissions[] ValueOrder =
        [ValuePermissions.AdminRead, ValuePermissions.AdminWrite, ValuePermissions.PublicRead, ValuePermissions.PublicWrite];

    public static string Format(ValuePermissions permissions) => string.Create(4, permissions, static (span, p) =>
    {
        for (var i = 0; i < ValueOrder.Length; i++)
        {
            span[i] = (p & ValueOrder[i]) != 0 ? '1' : '0';
        }
    });

    public static bool TryParse(ReadOnlySpan<char> text, out ValuePermissions permissions)
    {
        permissions = ValuePermissions.None;
        if (text.Length != ValueOrder.Length)
        {
            return false;
        }

        for (var i = 0; i < ValueOrder.Length; i++)
        {
            switch (text[i])
            {
                case '1': permissions |= ValueOrder[i]; break;
                case '0': break;
                default:
                    permissions = ValuePermissions.None;
                    return false;
            }
        }

        return true;
    }

    public static string Format(AdminPermissions permissions) => string.Create(AdminPermissionBits.Count, permissions, static (span, p) =>
    {
        for (var bit = 0; bit < AdminPermissionBits.Count; bit++)
        {
            span[AdminPermissionBits.Count - 1 - bit] = ((int)p & (1 << bit)) != 0 ? '1' : '0';
        }
    });

    public static bool TryParse(ReadOnlySpan<char> text, out AdminPermissions permissions)
    {
        permissions = AdminPermissions.None;
        if (text.Length != AdminPermissionBits.Count)
        {
            return false;
        }

        var bits = 0;
        for (var bit = 0; bit < AdminPermissionBits.Count; bit++)
        {
            switch (text[AdminPermissionBits.Count - 1 - bit])
            {
                case '1': bits |= 1 << bit; break;
                case '0': break;
                default: return false;
            }
        }

        permissions = (AdminPermissions)bits;
        return true;
    }
}
