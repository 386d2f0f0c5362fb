using System.Buffers;
using IdResolution.Core.Wire;

namespace IdResolution.Core.Records;

/// <summary>
/// The data of an HS_VLIST value (an admin group): a list of <c>index:handle</c> references,
/// encoded as a 4-byte count followed by (UTF8-String handle, 4-byte index) pairs.
/// </summary>
public static class ValueList
{
    public static byte[] Encode(IReadOnlyList<ValueReference> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var buffer = new ArrayBufferWriter<byte>(16 + (entries.Count * 32));
        var writer = new WireWriter(buffer);
        writer.WriteInt32(entries.Count);
        foreach (var entry in entries)
        {
            writer.WriteString(entry.Handle);
            writer.WriteInt32(entry.Index);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static bool TryDecode(ReadOnlySpan<byte> data, out IReadOnlyList<ValueReference> entries)
    {
        entries = [];
        var reader = new WireReader(data);
        if (!reader.TryReadCount(8, out var count))
        {
            return false;
        }

        var list = new List<ValueReference>(count);
        for (var i = 0; i < count; i++)
        {
            if (!reader.TryReadString(out var handle) || !reader.TryReadInt32(out var index))
            {
                return false;
            }

            list.Add(new ValueReference(handle, index));
        }

        entries = list;
        return reader.IsEmpty;
    }
}
