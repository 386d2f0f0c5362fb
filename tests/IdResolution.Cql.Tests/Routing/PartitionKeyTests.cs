using IdResolution.Cql.Routing;

namespace IdResolution.Cql.Tests.Routing;

public sealed class PartitionKeyTests
{
    [Fact]
    public void Each_component_is_a_big_endian_length_its_bytes_and_an_end_byte()
    {
        var key = PartitionKey.Composite(new byte[] { 0xAA, 0xBB }, Array.Empty<byte>(), new byte[] { 0x01 });

        Assert.Equal(Convert.FromHexString("0002AABB00" + "000000" + "00010100"), key);
    }

    [Fact]
    public void A_component_of_256_bytes_has_its_length_high_byte_first()
    {
        var key = PartitionKey.Composite(new byte[256], new byte[] { 7 });

        Assert.Equal([0x01, 0x00], key[..2]);
        Assert.Equal(0, key[258]);
        Assert.Equal(2 + 256 + 1 + 2 + 1 + 1, key.Length);
    }

    [Fact]
    public void A_single_component_is_refused()
    {
        Assert.Throws<ArgumentException>(() => PartitionKey.Composite(new byte[] { 1 }));
    }

    [Fact]
    public void A_component_over_65535_bytes_is_refused()
    {
        Assert.Throws<ArgumentException>(() => PartitionKey.Composite(new byte[65536], new byte[] { 1 }));
    }
}
