using System.Buffers;
using IdResolution.Cql.Types;

namespace IdResolution.Cql.Tests.Types;

public sealed class CqlCodecTextTests
{
    [Fact]
    public void Text_is_utf8_without_a_byte_order_mark()
    {
        Assert.Equal("C3BC2FC3A9", CqlCodecScalarTests.Encode(CqlCodec.EncodeText, "ü/é"));
        Assert.Equal("ü/é", CqlCodec.DecodeText(Convert.FromHexString("C3BC2FC3A9")));
        Assert.Equal(string.Empty, CqlCodec.DecodeText([]));
    }

    [Theory]
    [InlineData("C3")]
    [InlineData("FF")]
    [InlineData("EDA080")]
    [InlineData("C0AF")]
    public void Invalid_utf8_is_a_decode_error(string hex)
    {
        Assert.Throws<CqlDecodeException>(() => CqlCodec.DecodeText(Convert.FromHexString(hex)));
    }

    [Fact]
    public void A_lone_surrogate_is_refused_rather_than_replaced()
    {
        Assert.Throws<ArgumentException>(() => CqlCodec.EncodeText("a\uD800b", new ArrayBufferWriter<byte>()));
    }

    [Fact]
    public void Ascii_accepts_only_seven_bit_characters()
    {
        Assert.Equal("646F69", CqlCodecScalarTests.Encode(CqlCodec.EncodeAscii, "doi"));
        Assert.Equal("doi", CqlCodec.DecodeAscii("doi"u8));
        Assert.Throws<ArgumentException>(() => CqlCodec.EncodeAscii("é", new ArrayBufferWriter<byte>()));
        Assert.Throws<CqlDecodeException>(() => CqlCodec.DecodeAscii([0x64, 0x80]));
    }
}
