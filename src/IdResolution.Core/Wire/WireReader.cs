using System.Buffers.Binary;

namespace IdResolution.Core.Wire;

/// <summary>
/// Reads what <see cref="WireWriter"/> writes. Every read checks bounds and returns false on
/// truncated or oversized input, because the bytes may come from a client or a damaged store.
/// </summary>
internal ref struct WireReader
{
    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(false, true);
    private ReadOnlySpan<byte> _rest;

    public WireReader(ReadOnlySpan<byte> bytes) => _rest = bytes;

    public readonly bool IsEmpty => _rest.IsEmpty;

    public readonly int Remaining => _rest.Length;

    public bool TryReadByte(out byte value)
    {
        value = 0;
        if (_rest.IsEmpty)
        {
            return false;
        }

        value = _rest[0];
        _rest = _rest[1..];
        return true;
    }

    public bool TryReadUInt16(out int value)
    {
        value = 0;
        if (_rest.Length < 2)
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt16BigEndian(_rest);
        _rest = _rest[2..];
        return true;
    }

    public bool TryReadInt32(out int value)
    {
        value = 0;
        if (_rest.Length < 4)
        {
            return false;
        }

        value = BinaryPrimitives.ReadInt32BigEndian(_rest);
        _rest = _rest[4..];
        return true;
    }

    public bool TryReadUInt32(out long value)
    {
        value = 0;
        if (_rest.Length < 4)
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt32BigEndian(_rest);
        _rest = _rest[4..];
        return true;
    }

    public bool TryReadInt64(out long value)
    {
        value = 0;
        if (_rest.Length < 8)
        {
            return false;
        }

        value = BinaryPrimitives.ReadInt64BigEndian(_rest);
        _rest = _rest[8..];
        return true;
    }

    public bool TryReadRaw(int length, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        if (length < 0 || _rest.Length < length)
        {
            return false;
        }

        bytes = _rest[..length];
        _rest = _rest[length..];
        return true;
    }

    public bool TryReadBytes(out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        return TryReadInt32(out var length) && TryReadRaw(length, out bytes);
    }

    public bool TryReadString(out string value)
    {
        value = string.Empty;
        if (!TryReadBytes(out var bytes))
        {
            return false;
        }

        try
        {
            value = StrictUtf8.GetString(bytes);
            return true;
        }
        catch (System.Text.DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>Reads a count and refuses one larger than the bytes left could hold (each item takes at least <paramref name="minItemBytes"/>).</summary>
    public bool TryReadCount(int minItemBytes, out int count)
    {
        if (!TryReadInt32(out count) || count < 0)
        {
            return false;
        }

        return (long)count * minItemBytes <= _rest.Length;
    }
}
