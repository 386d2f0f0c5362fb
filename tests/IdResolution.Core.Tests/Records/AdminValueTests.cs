using IdResolution.Core.Records;

namespace IdResolution.Core.Tests.Records;

public sealed class AdminValueTests
{
    [Fact]
    public void Encoding_follows_rfc_3651_byte_for_byte()
    {
        // Permissions 0x0403 (add handle, delete handle, authorized read), 2 bytes big-endian;
        // the admin handle as a 4-byte length and UTF-8; the admin index, 4 bytes big-endian.
        var admin = new AdminValue("88.1/ADMIN", 300, AdminPermissions.AddHandle | AdminPermissions.DeleteHandle | AdminPermissions.ReadValue);

        byte[] expected =
        [
            0x04, 0x03,
            0x00, 0x00, 0x00, 0x0A,
            0x38, 0x38, 0x2E, 0x31, 0x2F, 0x41, 0x44, 0x4D, 0x49, 0x4E,
            0x00, 0x00, 0x01, 0x2C,
        ];
        Assert.Equal(expected, admin.Encode());
    }

    [Fact]
    public void A_non_ascii_admin_handle_is_counted_in_utf8_bytes()
    {
        var admin = new AdminValue("88.1/管", 1, AdminPermissions.None);

        byte[] expected = [0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x38, 0x38, 0x2E, 0x31, 0x2F, 0xE7, 0xAE, 0xA1, 0x00, 0x00, 0x00, 0x01];
        Assert.Equal(expected, admin.Encode());
    }

    [Fact]
    public void Admin_values_round_trip()
    {
        var admin = new AdminValue("0.NA/88.709.911", 200, AdminPermissions.All);

        Assert.True(AdminValue.TryDecode(admin.Encode(), out var decoded));
        Assert.Equal(admin, decoded);
    }

    [Fact]
    public void Bits_above_the_twelve_permissions_are_dropped()
    {
        byte[] data = [0xF0, 0x01, 0x00, 0x00, 0x00, 0x01, (byte)'x', 0x00, 0x00, 0x00, 0x07];

        Assert.True(AdminValue.TryDecode(data, out var decoded));
        Assert.Equal(new AdminValue("x", 7, AdminPermissions.AddHandle), decoded);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x0F })]
    [InlineData(new byte[] { 0x0F, 0xFF, 0x00, 0x00, 0x00 })]
    [InlineData(new byte[] { 0x0F, 0xFF, 0x00, 0x00, 0x00, 0x05, (byte)'a' })]
    [InlineData(new byte[] { 0x0F, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, (byte)'a', 0, 0, 0, 1 })]
    [InlineData(new byte[] { 0x0F, 0xFF, 0x00, 0x00, 0x00, 0x01, (byte)'a', 0x00, 0x00, 0x01 })]
    [InlineData(new byte[] { 0x0F, 0xFF, 0x00, 0x00, 0x00, 0x01, (byte)'a', 0x00, 0x00, 0x00, 0x01, 0x00 })]
    [InlineData(new byte[] { 0x0F, 0xFF, 0x00, 0x00, 0x00, 0x01, 0xFF, 0x00, 0x00, 0x00, 0x01 })]
    public void Damaged_admin_data_is_refused(byte[] data)
    {
        Assert.False(AdminValue.TryDecode(data, out var decoded));
        Assert.Null(decoded);
    }
}
