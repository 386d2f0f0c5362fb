using IdResolution.Core.Records;

namespace IdResolution.Core.Tests.Records;

public sealed class ValueListTests
{
    [Fact]
    public void A_value_list_is_a_count_then_handle_and_index_pairs()
    {
        var bytes = ValueList.Encode([new ValueReference("a/b", 300), new ValueReference("c/d", 1)]);

        byte[] expected =
        [
            0x00, 0x00, 0x00, 0x02,
            0x00, 0x00, 0x00, 0x03, (byte)'a', (byte)'/', (byte)'b', 0x00, 0x00, 0x01, 0x2C,
            0x00, 0x00, 0x00, 0x03, (byte)'c', (byte)'/', (byte)'d', 0x00, 0x00, 0x00, 0x01,
        ];
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Value_lists_round_trip_in_order()
    {
        ValueReference[] entries = [new("88.709.911/ADMIN", 300), new("88.709.911/运维", 301), new("0.NA/88.709.911", 200)];

        Assert.True(ValueList.TryDecode(ValueList.Encode(entries), out var decoded));
        Assert.Equal(entries, decoded);
    }

    [Fact]
    public void An_empty_list_round_trips()
    {
        var bytes = ValueList.Encode([]);

        Assert.Equal(new byte[4], bytes);
        Assert.True(ValueList.TryDecode(bytes, out var decoded));
        Assert.Empty(decoded);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x00, 0x00, 0x00 })]
    [InlineData(new byte[] { 0x7F, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 1 })]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF })]
    [InlineData(new byte[] { 0x00, 0x00, 0x00, 0x01, 0, 0, 0, 1, (byte)'a', 0, 0, 0 })]
    [InlineData(new byte[] { 0x00, 0x00, 0x00, 0x00, 0x00 })]
    public void Damaged_lists_are_refused(byte[] data)
    {
        Assert.False(ValueList.TryDecode(data, out var decoded));
        Assert.Empty(decoded);
    }
}
