using IdResolution.Cql.Types;

namespace IdResolution.Cql.Tests.Types;

public sealed class CqlTypeTests
{
    [Theory]
    [InlineData(CqlTypeCode.Ascii, 0x0001)]
    [InlineData(CqlTypeCode.BigInt, 0x0002)]
    [InlineData(CqlTypeCode.Blob, 0x0003)]
    [InlineData(CqlTypeCode.Boolean, 0x0004)]
    [InlineData(CqlTypeCode.Counter, 0x0005)]
    [InlineData(CqlTypeCode.Int, 0x0009)]
    [InlineData(CqlTypeCode.Timestamp, 0x000B)]
    [InlineData(CqlTypeCode.Uuid, 0x000C)]
    [InlineData(CqlTypeCode.Varchar, 0x000D)]
    [InlineData(CqlTypeCode.TimeUuid, 0x000F)]
    [InlineData(CqlTypeCode.List, 0x0020)]
    [InlineData(CqlTypeCode.Map, 0x0021)]
    [InlineData(CqlTypeCode.Set, 0x0022)]
    public void Codes_are_the_specs_option_ids(CqlTypeCode code, int id)
    {
        Assert.Equal(id, (int)code);
    }

    [Fact]
    public void Collections_carry_their_element_types_and_compare_by_value()
    {
        var type = CqlType.MapOf(CqlType.Native(CqlTypeCode.Varchar), CqlType.ListOf(CqlType.Native(CqlTypeCode.Uuid)));

        Assert.Equal("map<varchar, list<uuid>>", type.ToString());
        Assert.True(type.IsCollection);
        Assert.Equal(CqlType.ListOf(CqlType.Native(CqlTypeCode.Uuid)), type.Value);
    }

    [Fact]
    public void A_collection_code_alone_is_refused()
    {
        Assert.Throws<ArgumentException>(() => CqlType.Native(CqlTypeCode.Set));
    }
}
