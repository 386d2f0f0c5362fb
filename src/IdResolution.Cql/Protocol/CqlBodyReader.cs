using System.Buffers.Binary;
using System.Net;
using System.Text;
using IdResolution.Cql.Errors;

namespace IdResolution.Cql.Protocol;

/// <summary>
/// Reads the body notations of native_protocol_v4.spec §3. Input is untrusted: every length and count is
/// checked against the bytes left before anything is sliced or allocated, and any shortfall is a
/// <see cref="CqlProtocolException"/>. Byte values are slices of the body, not copies.
/// </summary>
internal sealed class CqlBodyReader(ReadOnlyMemory<byte> body)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private int _position;

    public int Remaining => body.Length - _position;

    public byte ReadByte() => Take(1, "[byte]")[0];

    public short ReadShort() => BinaryPrimitives.ReadInt16BigEndian(Take(2, "[short]"));

    public ushort ReadUnsignedShort() => BinaryPrimitives.ReadUInt16BigEndian(Take(2, "[short]"));

    public int ReadInt() => BinaryPrimitives.ReadInt32BigEndian(Take(4, "[int]"));

    public long ReadLong() => BinaryPrimitives.ReadInt64BigEndian(Take(8, "[long]"));

    public string ReadString() => DecodeUtf8(Take(ReadUnsignedShort(), "[string]"), "[string]");

    public string ReadLongString()
    {
        var length = ReadInt();
        if (length < 0)
        {
            throw new CqlProtocolException($"[long string] length {length} is negative.");
        }

        return DecodeUtf8(Take(length, "[long string]"), "[long string]");
    }

    public Guid ReadUuid() => new(Take(16, "[uuid]"), bigEndian: true);

    public IReadOnlyList<string> ReadStringList()
    {
        // Each [string] takes at least its 2-byte length.
        var count = CheckedCount(ReadUnsignedShort(), 2, "[string list]");
        var list = new string[count];
        for (var i = 0; i < count; i++)
        {
            list[i] = ReadString();
        }

        return list;
    }

    /// <summary>[bytes]: any negative length is null.</summary>
    public ReadOnlyMemory<byte>? ReadBytes()
    {
        var length = ReadInt();
        if (length < 0)
        {
            // Not a conditional expression: a bare null there converts through byte[] to empty memory.
            return null;
        }

        return TakeMemory(length, "[bytes]");
    }

    public CqlValue ReadValue()
    {
        var length = ReadInt();
        return length switch
        {
            -1 => CqlValue.Null,
            -2 => CqlValue.NotSet,
            < -2 => throw new CqlProtocolException($"[value] length {length} is invalid."),
            _ => CqlValue.Of(TakeMemory(length, "[value]")),
        };
    }

    public ReadOnlyMemory<byte> ReadShortBytes() => TakeMemory(ReadUnsignedShort(), "[short bytes]");

    public IPAddress ReadInetAddress()
    {
        var size = ReadByte();
        if (size is not (4 or 16))
        {
            throw new CqlProtocolException($"[inetaddr] size {size} is neither 4 nor 16.");
        }

        return new IPAddress(Take(size, "[inetaddr]"));
    }

    public IPEndPoint ReadInet()
    {
        var address = ReadInetAddress();
        var port = ReadInt();
        if (port is < IPEndPoint.MinPort or > IPEndPoint.MaxPort)
        {
            throw new CqlProtocolException($"[inet] port {port} is out of range.");
        }

        return new IPEndPoint(address, port);
    }

    /// <summary>Values outside the known levels are passed through; judging them is not the reader's job.</summary>
    public CqlConsistency ReadConsistency() => (CqlConsistency)ReadUnsignedShort();

    public IReadOnlyDictionary<string, string> ReadStringMap()
    {
        var count = CheckedCount(ReadUnsignedShort(), 4, "[string map]");
        var map = new Dictionary<string, string>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            // Indexer, not Add: a hostile duplicate key must not escape as ArgumentException.
            var key = ReadString();
            map[key] = ReadString();
        }

        return map;
    }

    public IReadOnlyDictionary<string, IReadOnlyList<string>> ReadStringMultimap()
    {
        var count = CheckedCount(ReadUnsignedShort(), 4, "[string multimap]");
        var map = new Dictionary<string, IReadOnlyList<string>>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var key = ReadString();
            map[key] = ReadStringList();
        }

        return map;
    }

    public IReadOnlyDictionary<string, ReadOnlyMemory<byte>?> ReadBytesMap()
    {
        var count = CheckedCount(ReadUnsignedShort(), 6, "[bytes map]");
        var map = new Dictionary<string, ReadOnlyMemory<byte>?>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var key = ReadString();
            map[key] = ReadBytes();
        }

        return map;
    }

    /// <summary>
    /// Validates an element count read from the wire against the bytes left, given the fewest bytes one
    /// element can take, so a hostile count cannot make us allocate before the data runs out.
    /// </summary>
    public int CheckedCount(long count, int minBytesPerElement, string what)
    {
        if (count < 0)
        {
            throw new CqlProtocolException($"{what} count {count} is negative.");
        }

        if (count * minBytesPerElement > Remaining)
        {
            throw new CqlProtocolException($"{what} count {count} cannot fit in the {Remaining} bytes left.");
        }

        return (int)count;
    }

    private ReadOnlySpan<byte> Take(int count, string what) => TakeMemory(count, what).Span;

    private ReadOnlyMemory<byte> TakeMemory(int count, string what)
    {
        if (count > Remaining)
        {
            throw new CqlProtocolException($"{what} needs {count} bytes but only {Remaining} are left.");
        }

        var slice = body.Slice(_position, count);
        _position += count;
        return slice;
    }

    private static string DecodeUtf8(ReadOnlySpan<byte> bytes, string what)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new CqlProtocolException($"{what} is not valid UTF-8.", e);
        }
    }
}
