using IdResolution.Core.Records;

namespace IdResolution.Core.Tests.Records;

public sealed class PermissionTextTests
{
    [Theory]
    [InlineData(ValuePermissions.Default, "1110")]
    [InlineData(ValuePermissions.None, "0000")]
    [InlineData(ValuePermissions.AdminRead, "1000")]
    [InlineData(ValuePermissions.AdminWrite, "0100")]
    [InlineData(ValuePermissions.PublicRead, "0010")]
    [InlineData(ValuePermissions.PublicWrite, "0001")]
    [InlineData(ValuePermissions.AdminRead | ValuePermissions.AdminWrite, "1100")]
    [InlineData(ValuePermissions.Default | ValuePermissions.PublicWrite, "1111")]
    public void Value_permissions_read_admin_read_admin_write_public_read_public_write(ValuePermissions permissions, string text)
    {
        Assert.Equal(text, PermissionText.Format(permissions));
        Assert.True(PermissionText.TryParse(text, out ValuePermissions parsed));
        Assert.Equal(permissions, parsed);
    }

    [Fact]
    public void Every_value_permission_set_round_trips()
    {
        for (var bits = 0; bits < 16; bits++)
        {
            var permissions = (ValuePermissions)bits;
            Assert.True(PermissionText.TryParse(PermissionText.Format(permissions), out ValuePermissions parsed));
            Assert.Equal(permissions, parsed);
        }
    }

    [Theory]
    [InlineData(AdminPermissions.AddHandle, "000000000001")]
    [InlineData(AdminPermissions.DeleteHandle, "000000000010")]
    [InlineData(AdminPermissions.ModifyValue, "000000010000")]
    [InlineData(AdminPermissions.ReadValue, "010000000000")]
    [InlineData(AdminPermissions.ListHandles, "100000000000")]
    [InlineData(AdminPermissions.AddHandle | AdminPermissions.ListHandles, "100000000001")]
    [InlineData(AdminPermissions.None, "000000000000")]
    [InlineData(AdminPermissions.All, "111111111111")]
    public void Admin_permissions_have_bit_0_rightmost(AdminPermissions permissions, string text)
    {
        Assert.Equal(text, PermissionText.Format(permissions));
        Assert.True(PermissionText.TryParse(text, out AdminPermissions parsed));
        Assert.Equal(permissions, parsed);
    }

    [Fact]
    public void Every_admin_permission_set_round_trips()
    {
        for (var bits = 0; bits <= (int)AdminPermissions.All; bits++)
        {
            var permissions = (AdminPermissions)bits;
            Assert.True(PermissionText.TryParse(PermissionText.Format(permissions), out AdminPermissions parsed));
            Assert.Equal(permissions, parsed);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("111")]
    [InlineData("11100")]
    [InlineData("11a0")]
    [InlineData("11 0")]
    [InlineData("1112")]
    public void Malformed_value_permissions_are_refused(string text) =>
        Assert.False(PermissionText.TryParse(text, out ValuePermissions _));

    [Theory]
    [InlineData("")]
    [InlineData("00000000001")]
    [InlineData("0000000000001")]
    [InlineData("00000000000x")]
    [InlineData("1110")]
    public void Malformed_admin_permissions_are_refused(string text)
    {
        Assert.False(PermissionText.TryParse(text, out AdminPermissions parsed));
        Assert.Equal(AdminPermissions.None, parsed);
    }
}
