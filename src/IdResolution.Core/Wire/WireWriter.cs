using System.Buffers;
using System.Buffers.Binary;

namespace IdResolution.Core.Wire;

/// <summary>Writes the Handle protocol's primitives (RFC 3651 §3): big-endian integers, UTF8-Strings with a 4-byte length.</summary>
internal ref struct WireWriter
{
    private readonly IBufferWriter<byte> _buffer;

    public WireWriter(IBufferWriter<byte> buffer) => _buffer = buffer;

    public readonly void WriteByte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    public readonly void WriteUInt16(int value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.GetSpan(2), (ushort)value);
        _buffer.Advance(2);
    }

    public readonly void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public readonly void WriteUInt32(long value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.GetSpan(4), (uint)value);
        _buffer.Advance(4);
    }

    public readonly void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public readonly void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        WriteInt32(bytes.Length);
        WriteRaw(bytes);
    }

    public readonly void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer.GetSpan(bytes.Length));
        _buffer.Advance(bytes.Length);
    }

    public readonly void WriteString(string value)
    {
        var length = System.Text.Encoding.UTF8.GetByteCount(value);
        WriteInt32(length);
        var span = _buffer.GetSpan(length);
        System.Text.Encoding.UTF8.GetBytes(value, span);
        _buffer.Advance(length);
    }
}
