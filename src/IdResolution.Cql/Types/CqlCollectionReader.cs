using System.Buffers.Binary;

namespace IdResolution.Cql.Types;

/// <summary>Reads the <c>[int] n</c> and <c>[bytes]</c> elements of a collection value, bounds-checked.</summary>
internal ref struct CqlCollectionReader
{
    private ReadOnlySpan<byte> _remaining;

    public CqlCollectionReader(ReadOnlySpan<byte> bytes) => _remaining = bytes;

    /// <summary>The element count, checked against what the bytes could hold so that a forged count allocates nothing.</summary>
    public int ReadCount(int lengthsPerEntry)
    {
        var count = ReadInt32("element count");
        if (count < 0 || count > _remaining.Length / (4 * lengthsPerEntry))
        {
            throw new CqlDecodeException($"A collection claims {count} elements in {_remaining.Length} bytes.");
        }

        return count;
    }

    public ReadOnlySpan<byte> ReadElement()
    {
        var length = ReadInt32("element length");
        if (length < 0)
        {
            throw new CqlDecodeException("A collection element is null.");
        }

        if (length > _remaining.Length)
        {
            throw new CqlDecodeException($"A collection element of {length} bytes is cut short at {_remaining.Length}.");
        }

        var element = _remaining[..length];
        _remaining = _remaining[length..];
        return element;
    }

    public readonly void EnsureEnd()
    {
        if (!_remaining.IsEmpty)
        {
            throw new CqlDecodeException($"A collection value has {_remaining.Length} bytes after its last element.");
        }
    }

    private int ReadInt32(string what)
    {
        if (_remaining.Length < 4)
        {
            throw new CqlDecodeException($"A collection is cut short before its {what}.");
        }

        var value = BinaryPrimitives.ReadInt32BigEndian(_remaining);
        _remaining = _remaining[4..];
        return value;
    }
}
