using System.Buffers.Binary;
using System.Net;
using System.Text;
using IdResolution.Core.Records;

namespace IdResolution.Core.Tests.Records;

public sealed class RecordCodecTests
{
    private static HandleRecord SampleRecord()
    {
        var site = new SiteInfo
        {
            SerialNumber = 3,
            IsPrimary = true,
            Servers = [new SiteServer(1, IPAddress.Parse("192.0.2.10"), new byte[] { 1, 2, 3 }, [new SiteInterface(SiteServiceType.AdminAndQuery, SiteTransport.Tcp, 2641)])],
        };

        HandleValue[] values =
        [
            new()
            {
                Index = 1,
                Type = "URL",
                Data = "https://example.org/产品"u8.ToArray(),
                Timestamp = 1_735_689_600,
                Ttl = 3600,
            },
            new()
            {
                Index = 2,
                Type = "BLOB.bin",
                Data = new byte[] { 0x00, 0xFF, 0x10, 0x80, 0x00 },
                TtlType = TtlType.Absolute,
                Ttl = 4_000_000_000,
                Timestamp = 1_735_689_601,
                Permissions = ValuePermissions.AdminRead | ValuePermissions.AdminWrite,
            },
            new()
            {
                Index = 3,
                Type = "DESC",
                Data = "see also"u8.ToArray(),
                Permissions = ValuePermissions.PublicRead | ValuePermissions.PublicWrite,
                References = [new ValueReference("88.709.911/OTHER", 1), new ValueReference("0.NA/88.709.911", 200)],
            },
            new()
            {
                Index = 100,
                Type = WellKnownTypes.Admin,
                Data = new AdminValue("88.709.911/ADMIN", 300, AdminPermissions.All).Encode(),
                Permissions = ValuePermissions.AdminRead | ValuePermissions.AdminWrite,
            },
            new()
            {
                Index = 200,
                Type = WellKnownTypes.ValueList,
                Data = ValueList.Encode([new ValueReference("88.709.911/ADMIN", 300), new ValueReference("88.709.911/OPS", 301)]),
            },
            new()
            {
                Index = int.MaxValue,
                Type = WellKnownTypes.Site,
                Data = site.Encode(),
                Ttl = 0,
                Permissions = ValuePermissions.None,
            },
            new()
            {
                Index = 5,
                Type = "EMPTY",
            },
        ];

        return new HandleRecord("88.709.911/abc-0001", values, 1_735_689_600_000_123);
    }

    [Fact]
    public void A_record_round_trips_with_every_field()
    {
        var record = SampleRecord();

        var bytes = RecordCodec.Encode(record);

        Assert.True(RecordCodec.TryDecode(bytes, out var decoded));
        Assert.NotNull(decoded);
        Assert.Equal(record.Handle, decoded.Handle);
        Assert.Equal(record.Version, decoded.Version);
        Assert.Equal(record.Values.Count, decoded.Values.Count);
        for (var i = 0; i < record.Values.Count; i++)
        {
            var expected = record.Values[i];
            var actual = decoded.Values[i];
            Assert.Equal(expected, actual);
            Assert.Equal(expected.Timestamp, actual.Timestamp);
            Assert.Equal(expected.TtlType, actual.TtlType);
            Assert.Equal(expected.Ttl, actual.Ttl);
            Assert.Equal(expected.Permissions, actual.Permissions);
            Assert.Equal(expected.Data.ToArray(), actual.Data.ToArray());
            Assert.Equal(expected.References, actual.References);
        }

        Assert.Equal(bytes, RecordCodec.Encode(decoded));
        Assert.Equal(bytes, RecordCodec.Encode(RecordCodec.Decode(bytes)));
    }

    [Fact]
    public void Write_into_a_buffer_gives_the_same_bytes_as_encode()
    {
        var record = SampleRecord();
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1);

        RecordCodec.Write(buffer, record);

        Assert.Equal(RecordCodec.Encode(record), buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void The_header_is_format_version_record_version_and_handle()
    {
        var record = new HandleRecord("88.1/x", [], 0x0102030405060708);

        var bytes = RecordCodec.Encode(record);

        byte[] expected =
        [
            0x01,
            0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
            0x00, 0x00, 0x00, 0x06, (byte)'8', (byte)'8', (byte)'.', (byte)'1', (byte)'/', (byte)'x',
            0x00, 0x00, 0x00, 0x00,
        ];
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Value_size_is_the_encoded_size_of_the_value()
    {
        var record = SampleRecord();
        var header = 1 + 8 + 4 + Encoding.UTF8.GetByteCount(record.Handle) + 4;

        Assert.Equal(RecordCodec.Encode(record).Length, header + record.Values.Sum(RecordCodec.ValueSize));
    }

    [Fact]
    public void The_handle_can_be_read_alone()
    {
        var bytes = RecordCodec.Encode(SampleRecord());

        Assert.True(RecordCodec.TryReadHandle(bytes, out var handle));
        Assert.Equal("88.709.911/abc-0001", handle);
        Assert.False(RecordCodec.TryReadHandle(bytes.AsSpan(0, 12), out _));
        Assert.False(RecordCodec.TryReadHandle([], out _));
    }

    [Fact]
    public void Every_truncation_is_refused()
    {
        var bytes = RecordCodec.Encode(SampleRecord());

        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.False(RecordCodec.TryDecode(bytes.AsSpan(0, length), out _), $"a record cut to {length} of {bytes.Length} bytes was accepted");
        }
    }

    [Fact]
    public void Trailing_bytes_are_refused()
    {
        byte[] bytes = [.. RecordCodec.Encode(SampleRecord()), 0x00];

        Assert.False(RecordCodec.TryDecode(bytes, out _));
        Assert.Throws<InvalidDataException>(() => RecordCodec.Decode(bytes));
    }

    [Fact]
    public void An_unknown_format_version_is_refused()
    {
        var bytes = RecordCodec.Encode(SampleRecord());
        bytes[0] = 2;

        Assert.False(RecordCodec.TryDecode(bytes, out var record));
        Assert.Null(record);
    }

    [Fact]
    public void A_handle_that_is_not_utf8_is_refused()
    {
        var bytes = RecordCodec.Encode(new HandleRecord("88.1/x", [], 1));
        bytes[13 + 5] = 0xFF;

        Assert.False(RecordCodec.TryDecode(bytes, out _));
    }

    [Fact]
    public void A_huge_value_count_in_a_tiny_buffer_is_refused_without_allocating_for_it()
    {
        byte[] bytes = [0x01, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0x7F, 0xFF, 0xFF, 0xFF, 1, 2, 3, 4];

        Assert.False(RecordCodec.TryDecode(bytes, out _));

        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.False(RecordCodec.TryDecode(bytes, out _));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1024);
    }

    [Theory]
    [InlineData(0x7F, 0xFF, 0xFF, 0xFF)]
    [InlineData(0xFF, 0xFF, 0xFF, 0xFF)]
    [InlineData(0x80, 0x00, 0x00, 0x00)]
    [InlineData(0x00, 0x00, 0x00, 0x02)]
    public void A_value_count_the_bytes_cannot_hold_is_refused(byte b0, byte b1, byte b2, byte b3)
    {
        var bytes = RecordCodec.Encode(new HandleRecord("88.1/x", [new HandleValue { Index = 1, Type = "T" }], 1));
        var countAt = 1 + 8 + 4 + 6;
        bytes[countAt] = b0;
        bytes[countAt + 1] = b1;
        bytes[countAt + 2] = b2;
        bytes[countAt + 3] = b3;

        Assert.False(RecordCodec.TryDecode(bytes, out _));
    }

    [Fact]
    public void A_huge_reference_count_or_data_length_inside_a_value_is_refused()
    {
        var value = new HandleValue { Index = 1, Type = "T", Data = new byte[] { 9 } };
        var bytes = RecordCodec.Encode(new HandleRecord("88.1/x", [value], 1));
        var referenceCountAt = bytes.Length - 4;
        var dataLengthAt = referenceCountAt - 1 - 4;

        var hugeReferences = bytes.ToArray();
        BinaryPrimitives.WriteInt32BigEndian(hugeReferences.AsSpan(referenceCountAt), int.MaxValue);
        var hugeData = bytes.ToArray();
        BinaryPrimitives.WriteInt32BigEndian(hugeData.AsSpan(dataLengthAt), int.MaxValue);
        var negativeData = bytes.ToArray();
        BinaryPrimitives.WriteInt32BigEndian(negativeData.AsSpan(dataLengthAt), -1);

        Assert.True(RecordCodec.TryDecode(bytes, out _));
        Assert.False(RecordCodec.TryDecode(hugeReferences, out _));
        Assert.False(RecordCodec.TryDecode(hugeData, out _));
        Assert.False(RecordCodec.TryDecode(negativeData, out _));
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(3651);
        var valid = RecordCodec.Encode(SampleRecord());
        for (var round = 0; round < 2000; round++)
        {
            var bytes = new byte[random.Next(0, 96)];
            random.NextBytes(bytes);
            if (round % 2 == 0 && bytes.Length > 0)
            {
                bytes[0] = 0x01;
            }

            _ = RecordCodec.TryDecode(bytes, out _);

            var flipped = valid.ToArray();
            flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
            if (RecordCodec.TryDecode(flipped, out var decoded))
            {
                Assert.NotNull(decoded);
            }
        }
    }
}
