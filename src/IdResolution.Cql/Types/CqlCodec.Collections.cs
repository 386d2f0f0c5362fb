using System.Buffers;
using System.Buffers.Binary;

namespace IdResolution.Cql.Types;

public static partial class CqlCodec
{
    /// <summary>list (v3+): <c>[int] n</c>, then n <c>[bytes]</c> elements, none of them null.</summary>
    public static void EncodeList<T>(IReadOnlyCollection<T> items, Action<T, IBufferWriter<byte>> encodeElement, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(encodeElement);
        ArgumentNullException.ThrowIfNull(writer);
        EncodeInt32(items.Count, writer);
        var scratch = new ArrayBufferWriter<byte>();
        var written = 0;
        foreach (var item in items)
        {
            WriteElement(item, encodeElement, scratch, writer);
            written++;
        }

        // A collection that changed while being enumerated would leave a count that lies about the bytes.
        if (written != items.Count)
        {
            throw new InvalidOperationException("The collection changed while it was encoded.");
        }
    }

    /// <summary>set: laid out as a list; the server sorts and deduplicates.</summary>
    public static void EncodeSet<T>(IReadOnlyCollection<T> items, Action<T, IBufferWriter<byte>> encodeElement, IBufferWriter<byte> writer) =>
        EncodeList(items, encodeElement, writer);

    /// <summary>map (v3+): <c>[int] n</c>, then n key and value <c>[bytes]</c> pairs, none of them null.</summary>
    public static void EncodeMap<TKey, TValue>(
        IReadOnlyCollection<KeyValuePair<TKey, TValue>> entries,
        Action<TKey, IBufferWriter<byte>> encodeKey,
        Action<TValue, IBufferWriter<byte>> encodeValue,
        IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(encodeKey);
        ArgumentNullException.ThrowIfNull(encodeValue);
        ArgumentNullException.ThrowIfNull(writer);
        EncodeInt32(entries.Count, writer);
        var scratch = new ArrayBufferWriter<byte>();
        var written = 0;
        foreach (var entry in entries)
        {
            WriteElement(entry.Key, encodeKey, scratch, writer);
            WriteElement(entry.Value, encodeValue, scratch, writer);
            written++;
        }

        if (written != entries.Count)
        {
            throw new InvalidOperationException("The map changed while it was encoded.");
        }
    }

    public static IReadOnlyList<T> DecodeList<T>(ReadOnlySpan<byte> bytes, Func<ReadOnlySpan<byte>, T> decodeElement)
    {
        ArgumentNullException.ThrowIfNull(decodeElement);
        var reader = new CqlCollectionReader(bytes);
        var count = reader.ReadCount(1);
        var items = new List<T>(count);
        for (var i = 0; i < count; i++)
        {
            items.Add(decodeElement(reader.ReadElement()));
        }

        reader.EnsureEnd();
        return items;
    }

    /// <summary>set: elements in the server's order (sorted by the element type's comparator).</summary>
    public static IReadOnlyList<T> DecodeSet<T>(ReadOnlySpan<byte> bytes, Func<ReadOnlySpan<byte>, T> decodeElement) =>
        DecodeList(bytes, decodeElement);

    public static IReadOnlyDictionary<TKey, TValue> DecodeMap<TKey, TValue>(
        ReadOnlySpan<byte> bytes,
        Func<ReadOnlySpan<byte>, TKey> decodeKey,
        Func<ReadOnlySpan<byte>, TValue> decodeValue)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(decodeKey);
        ArgumentNullException.ThrowIfNull(decodeValue);
        var reader = new CqlCollectionReader(bytes);
        var count = reader.ReadCount(2);
        var entries = new Dictionary<TKey, TValue>(count);
        for (var i = 0; i < count; i++)
        {
            var key = decodeKey(reader.ReadElement());
            var value = decodeValue(reader.ReadElement());
            if (!entries.TryAdd(key, value))
            {
                throw new CqlDecodeException($"A map value repeats the key {key}.");
            }
        }

        reader.EnsureEnd();
        return entries;
    }

    private static void WriteElement<T>(T item, Action<T, IBufferWriter<byte>> encode, ArrayBufferWriter<byte> scratch, IBufferWriter<byte> writer)
    {
        if (item is null)
        {
            throw new ArgumentException("A collection element may not be null.", nameof(item));
        }

        scratch.ResetWrittenCount();
        encode(item, scratch);
        BinaryPrimitives.WriteInt32BigEndian(writer.GetSpan(4), scratch.WrittenCount);
        writer.Advance(4);
        writer.Write(scratch.WrittenSpan);
    }
}
