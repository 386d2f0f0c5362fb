using System.Text;
using IdResolution.Core.Records;

namespace IdResolution.Core.Tests.Support;

/// <summary>Short constructors for the values tests write over and over.</summary>
internal static class Values
{
    public const string Admin = "88.709.911/ADMIN";

    public static HandleValue Url(int index, string url, long ttl = HandleValue.DefaultTtlSeconds,
        ValuePermissions permissions = ValuePermissions.Default) => new()
    {
        Index = index,
        Type = WellKnownTypes.Url,
        Data = Encoding.UTF8.GetBytes(url),
        Ttl = ttl,
        Permissions = permissions,
    };

    public static HandleValue Text(int index, string type, string text) => new()
    {
        Index = index,
        Type = type,
        Data = Encoding.UTF8.GetBytes(text),
    };

    public static HandleValue HsAdmin(int index = WellKnownTypes.AdminIndex, AdminPermissions permissions = AdminPermissions.All) => new()
    {
        Index = index,
        Type = WellKnownTypes.Admin,
        Data = new AdminValue(Admin, 300, permissions).Encode(),
        Permissions = ValuePermissions.AdminRead | ValuePermissions.AdminWrite | ValuePermissions.PublicRead,
    };

    public static string DataText(HandleValue value) => Encoding.UTF8.GetString(value.Data.Span);
}
