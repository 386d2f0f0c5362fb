using System.Buffers;
using IdResolution.Cql.Types;

namespace IdResolution.Cql.Tests.Types;

public sealed class CqlCodecCollectionTests
{
    [Fact]
    public void A_list_is_a_count_then_length_prefixed_elements()
    {
        var writer = new ArrayBufferWriter<byte>();
        CqlCodec.EncodeList(new[] { 1, -1 }, CqlCodec.EncodeInt32, writer);

        Assert.Equal("00000002" + "00000004" + "00000001" + "00000004" + "FFFFFFFF", Convert.ToHexString(writer.WrittenSpan));
    }

    [Fact]
    public void A_list_decodes_in_order()
    {
        var bytes = Convert.FromHexString("00000002" + "00000001" + "61" + "00000000");

        Assert.Equal(["a", ""], CqlCodec.DecodeList(bytes, CqlCodec.DecodeText));
    }

    [Fact]
    public void A_set_of_tokens_as_system_local_returns_them_decodes()
    {
        var writer = new ArrayBufferWriter<byte>();
        CqlCodec.EncodeSet(new[] { "-9223372036854775807", "42" }, CqlCodec.EncodeText, writer);

        Assert.Equal(["-9223372036854775807", "42"], CqlCodec.DecodeSet(writer.WrittenSpan, CqlCodec.DecodeText));
    }

    [Fact]
    public void An_empty_collection_is_a_zero_count()
    {
        var writer = new ArrayBufferWriter<byte>();
        CqlCodec.EncodeList(Array.Empty<int>(), CqlCodec.EncodeInt32, writer);

        Assert.Equal("00000000", Convert.ToHexString(writer.WrittenSpan));
        Assert.Empty(CqlCodec.DecodeList(writer.WrittenSpan, CqlCodec.DecodeInt32));
    }

    [Fact]
    public void A_map_is_a_count_then_key_and_value_pairs()
    {
        var map = new Dictionary<string, long> { ["a"] = 1 };
        var writer = new ArrayBufferWriter<byte>();
        CqlCodec.EncodeMap(map, CqlCodec.EncodeText, CqlCodec.EncodeInt64, writer);

        Assert.Equal("00000001" + "00000001" + "61" + "00000008" + "0000000000000001", Convert.ToHexString(writer.WrittenSpan));
        Assert.Equal(map, CqlCodec.DecodeMap(writer.WrittenSpan, CqlCodec.DecodeText, CqlCodec.DecodeInt64));
    }

    [Fact]
    public void A_nested_collection_round_trips()
    {
        var value = new Dictionary<string, IReadOnlyList<Guid>> { ["k"] = [Guid.Parse("00112233-4455-6677-8899-aabbccddeeff")] };
        var writer = new ArrayBufferWriter<byte>();
        CqlCodec.EncodeMap(value, CqlCodec.EncodeText, (list, w) => CqlCodec.EncodeList(list, CqlCodec.EncodeUuid, w), writer);

        var decoded = CqlCodec.DecodeMap(writer.WrittenSpan, CqlCodec.DecodeText, b => CqlCodec.DecodeList(b, CqlCodec.DecodeUuid));

        Assert.Equal(value["k"], decoded["k"]);
    }

    [Fact]
    public void A_null_element_is_refused_when_encoding()
    {
        Assert.Throws<ArgumentException>(() => CqlCodec.EncodeList(new string?[] { "a", null }, (s, w) => CqlCodec.EncodeText(s!, w), new ArrayBufferWriter<byte>()));
    }

    [Theory]
    [InlineData("", "no count")]
    [InlineData("000000", "a short count")]
    [InlineData("FFFFFFFF", "a negative count")]
    [InlineData("7FFFFFFF", "a count the bytes cannot hold")]
    [InlineData("00000001", "a missing element")]
    [InlineData("0000000100", "a short element length")]
    [InlineData("00000001FFFFFFFF", "a null element")]
    [InlineData("000000010000000400000001FF", "bytes after the last element")]
    [InlineData("00000001000000050000000100", "an element cut short")]
    [InlineData("000000010000000300000001", "an element of the wrong width")]
    public void A_malformed_list_is_a_decode_error(string hex, string what)
    {
        var error = Record.Exception(() => CqlCodec.DecodeList(Convert.FromHexString(hex), CqlCodec.DecodeInt32));

        Assert.True(error is CqlDecodeException, $"{what}: {error?.GetType().Name ?? "no error"}");
    }

    [Theory]
    [InlineData("00000001" + "0000000161", "a key without its value")]
    [InlineData("00000002" + "000000016100000000" + "000000016100000000", "a repeated key")]
    [InlineData("00000001" + "0000000161FFFFFFFF", "a null value")]
    public void A_malformed_map_is_a_decode_error(string hex, string what)
    {
        var error = Record.Exception(() => CqlCodec.DecodeMap(Convert.FromHexString(hex), CqlCodec.DecodeText, CqlCodec.DecodeBlob));

        Assert.True(error is CqlDecodeException, $"{what}: {error?.GetType().Name ?? "no error"}");
    }
}
