using System.Buffers;
using System.Net;
using IdResolution.Cql.Types;

namespace IdResolution.Cql.Tests.Types;

public sealed class CqlCodecScalarTests
{
    [Fact]
    public void Int_is_four_bytes_big_endian()
    {
        Assert.Equal("FFFFFFFE", Encode(CqlCodec.EncodeInt32, -2));
        Assert.Equal(0x01020304, CqlCodec.DecodeInt32([1, 2, 3, 4]));
    }

    [Fact]
    public void Bigint_is_eight_bytes_big_endian()
    {
        Assert.Equal("0102030405060708", Encode(CqlCodec.EncodeInt64, 0x0102030405060708));
        Assert.Equal(long.MinValue, CqlCodec.DecodeInt64([0x80, 0, 0, 0, 0, 0, 0, 0]));
    }

    [Fact]
    public void Smallint_tinyint_double_and_float_round_trip()
    {
        Assert.Equal("8000", Encode(CqlCodec.EncodeInt16, short.MinValue));
        Assert.Equal((short)-2, CqlCodec.DecodeInt16([0xFF, 0xFE]));
        Assert.Equal("FF", Encode(CqlCodec.EncodeSByte, (sbyte)-1));
        Assert.Equal((sbyte)-128, CqlCodec.DecodeSByte([0x80]));
        Assert.Equal("3FF0000000000000", Encode(CqlCodec.EncodeDouble, 1.0));
        Assert.Equal(-2.5, CqlCodec.DecodeDouble(Convert.FromHexString("C004000000000000")));
        Assert.Equal("3F800000", Encode(CqlCodec.EncodeSingle, 1.0f));
        Assert.Equal(0.5f, CqlCodec.DecodeSingle(Convert.FromHexString("3F000000")));
    }

    [Fact]
    public void Boolean_is_one_byte_and_any_non_zero_byte_is_true()
    {
        Assert.Equal("01", Encode(CqlCodec.EncodeBoolean, true));
        Assert.Equal("00", Encode(CqlCodec.EncodeBoolean, false));
        Assert.True(CqlCodec.DecodeBoolean([0x02]));
        Assert.False(CqlCodec.DecodeBoolean([0x00]));
    }

    [Fact]
    public void Blob_is_its_bytes()
    {
        var writer = new ArrayBufferWriter<byte>();
        CqlCodec.EncodeBlob(new byte[] { 0, 0xFF }, writer);

        Assert.Equal([0, 0xFF], writer.WrittenSpan.ToArray());
        Assert.Equal([9, 8], CqlCodec.DecodeBlob([9, 8]));
        Assert.Empty(CqlCodec.DecodeBlob([]));
    }

    [Fact]
    public void Timestamp_is_milliseconds_since_the_epoch()
    {
        // 1645557742123 ms = 0x17F22E27A2B.
        var time = new DateTimeOffset(2022, 2, 22, 19, 22, 22, 123, TimeSpan.Zero);

        Assert.Equal("0000017F22E27A2B", Encode(CqlCodec.EncodeTimestamp, time));
        Assert.Equal(time, CqlCodec.DecodeTimestamp(Convert.FromHexString("0000017F22E27A2B")));
        Assert.Equal(DateTimeOffset.UnixEpoch.AddMilliseconds(-1), CqlCodec.DecodeTimestamp(Convert.FromHexString("FFFFFFFFFFFFFFFF")));
    }

    [Fact]
    public void Timestamp_outside_DateTimeOffset_is_a_decode_error()
    {
        Assert.Throws<CqlDecodeException>(() => CqlCodec.DecodeTimestamp(Convert.FromHexString("7FFFFFFFFFFFFFFF")));
    }

    [Fact]
    public void Uuid_is_in_network_order_not_guids_memory_layout()
    {
        var guid = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");

        Assert.Equal("00112233445566778899AABBCCDDEEFF", Encode(CqlCodec.EncodeUuid, guid));
        Assert.Equal(guid, CqlCodec.DecodeUuid(Convert.FromHexString("00112233445566778899AABBCCDDEEFF")));
    }

    [Fact]
    public void Date_counts_days_from_1970_offset_by_two_to_the_31()
    {
        Assert.Equal("80000000", Encode(CqlCodec.EncodeDate, new DateOnly(1970, 1, 1)));
        Assert.Equal("7FFFFFFF", Encode(CqlCodec.EncodeDate, new DateOnly(1969, 12, 31)));
        Assert.Equal(new DateOnly(1970, 1, 2), CqlCodec.DecodeDate(Convert.FromHexString("80000001")));
        Assert.Throws<CqlDecodeException>(() => CqlCodec.DecodeDate(Convert.FromHexString("00000000")));
    }

    [Fact]
    public void Time_is_nanoseconds_within_one_day()
    {
        Assert.Equal("0000000000000001", Encode(CqlCodec.EncodeTime, 1L));
        Assert.Equal(86_399_999_999_999L, CqlCodec.DecodeTime(Convert.FromHexString("00004E94914EFFFF")));
        Assert.Throws<CqlDecodeException>(() => CqlCodec.DecodeTime(Convert.FromHexString("00004E94914F0000")));
        Assert.Throws<ArgumentOutOfRangeException>(() => Encode(CqlCodec.EncodeTime, -1L));
    }

    [Fact]
    public void Inet_is_four_or_sixteen_bytes()
    {
        Assert.Equal("0A000001", Encode(CqlCodec.EncodeInet, IPAddress.Parse("10.0.0.1")));
        Assert.Equal(IPAddress.IPv6Loopback, CqlCodec.DecodeInet(Convert.FromHexString("00000000000000000000000000000001")));
        Assert.Throws<CqlDecodeException>(() => CqlCodec.DecodeInet([1, 2, 3]));
    }

    [Theory]
    [InlineData("int", 3)]
    [InlineData("int", 5)]
    [InlineData("bigint", 7)]
    [InlineData("boolean", 0)]
    [InlineData("boolean", 2)]
    [InlineData("uuid", 15)]
    [InlineData("timestamp", 4)]
    [InlineData("smallint", 1)]
    [InlineData("tinyint", 2)]
    [InlineData("double", 4)]
    [InlineData("float", 8)]
    [InlineData("date", 8)]
    [InlineData("time", 4)]
    public void A_fixed_width_value_of_the_wrong_length_is_a_decode_error(string type, int length)
    {
        var bytes = new byte[length];
        Action decode = type switch
        {
            "int" => () => CqlCodec.DecodeInt32(bytes),
            "bigint" => () => CqlCodec.DecodeInt64(bytes),
            "boolean" => () => CqlCodec.DecodeBoolean(bytes),
            "uuid" => () => CqlCodec.DecodeUuid(bytes),
            "timestamp" => () => CqlCodec.DecodeTimestamp(bytes),
            "smallint" => () => CqlCodec.DecodeInt16(bytes),
            "tinyint" => () => CqlCodec.DecodeSByte(bytes),
            "double" => () => CqlCodec.DecodeDouble(bytes),
            "float" => () => CqlCodec.DecodeSingle(bytes),
            "date" => () => CqlCodec.DecodeDate(bytes),
            "time" => () => CqlCodec.DecodeTime(bytes),
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };

        var error = Assert.Throws<CqlDecodeException>(decode);
        Assert.Contains(length.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    internal static string Encode<T>(Action<T, IBufferWriter<byte>> encode, T value)
    {
        var writer = new ArrayBufferWriter<byte>();
        encode(value, writer);
        return Convert.ToHexString(writer.WrittenSpan);
    }
}
