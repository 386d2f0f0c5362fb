using System.Buffers;
using IdResolution.Core.Wire;

namespace IdResolution.Core.Records;

/// <summary>
/// The compact binary form of a record, shared by every store and cache tier. Values use the
/// Handle protocol's value encoding (RFC 3651 §3.1), so the same bytes can later go on the wire;
/// the record header adds a format byte, the record version and the display spelling.
/// </summary>
public static class RecordCodec
{
    private const byte FormatVersion = 1;

    public static byte[] Encode(HandleRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var buffer = new ArrayBufferWriter<byte>(EstimateSize(record));
        Write(buffer, record);
        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(IBufferWriter<byte> buffer, HandleRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var writer = new WireWriter(buffer);
        writer.WriteByte(FormatVersion);
        writer.WriteInt64(record.Version);
        writer.WriteString(record.Handle);
        var values = record.Values;
        writer.WriteInt32(values.Count);

        // Indexed rather than foreach: these run for every value the writer loop encodes, and an interface enumerator is an allocation each.
        for (var i = 0; i < values.Count; i++)
        {
            WriteValue(ref writer, values[i]);
        }
    }

    public static HandleRecord Decode(ReadOnlySpan<byte> bytes) =>
        TryDecode(bytes, out var record) ? record! : throw new InvalidDataException("A stored record is damaged and cannot be decoded.");

    public static bool TryDecode(ReadOnlySpan<byte> bytes, out HandleRecord? record)
    {
        record = null;
        var reader = new WireReader(bytes);
        if (!reader.TryReadByte(out var format) || format != FormatVersion || !reader.TryReadInt64(out var version)
            || !reader.TryReadString(out var handle) || !reader.TryReadCount(22, out var count))
        {
            return false;
        }

        var values = new HandleValue[count];
        for (var i = 0; i < count; i++)
        {
            if (!TryReadValue(ref reader, out var value))
            {
                return false;
            }

            values[i] = value!;
        }

        if (!reader.IsEmpty)
        {
            return false;
        }

        record = new HandleRecord(handle, values, version);
        return true;
    }

    /// <summary>Reads only the display spelling, for listings that need nothing else.</summary>
    public static bool TryReadHandle(ReadOnlySpan<byte> bytes, out string handle)
    {
        handle = string.Empty;
        var reader = new WireReader(bytes);
        return reader.TryReadByte(out var format) && format == FormatVersion && reader.TryReadInt64(out _) && reader.TryReadString(out handle);
    }

    /// <summary>Encoded size of one value, the unit the record size limits count in.</summary>
    public static int ValueSize(HandleValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var size = 4 + 4 + 1 + 4 + 1 + 4 + System.Text.Encoding.UTF8.GetByteCount(value.Type) + 4 + value.Data.Length + 4;
        var references = value.References;
        for (var i = 0; i < references.Count; i++)
        {
            size += 4 + System.Text.Encoding.UTF8.GetByteCount(references[i].Handle) + 4;
        }

        return size;
    }

    private static int EstimateSize(HandleRecord record)
    {
        var size = 1 + 8 + 4 + (record.Handle.Length * 3) + 4;
        var values = record.Values;
        for (var i = 0; i < values.Count; i++)
        {
            size += ValueSize(values[i]);
        }

        return size;
    }

    private static void WriteValue(ref WireWriter writer, HandleValue value)
    {
        writer.WriteInt32(value.Index);
        writer.WriteUInt32(value.Timestamp);
        writer.WriteByte((byte)value.TtlType);
        writer.WriteUInt32(value.Ttl);
        writer.WriteByte((byte)value.Permissions);
        writer.WriteString(value.Type);
        writer.WriteBytes(value.Data.Span);
        var references = value.References;
        writer.WriteInt32(references.Count);
        for (var i = 0; i < references.Count; i++)
        {
            writer.WriteString(references[i].Handle);
            writer.WriteInt32(references[i].Index);
        }
    }

    private static bool TryReadValue(ref WireReader reader, out HandleValue? value)
    {
        value = null;
        if (!reader.TryReadInt32(out var index) || !reader.TryReadUInt32(out var timestamp) || !reader.TryReadByte(out var ttlType)
            || !reader.TryReadUInt32(out var ttl) || !reader.TryReadByte(out var permissions) || !reader.TryReadString(out var type)
            || !reader.TryReadBytes(out var data) || !reader.TryReadCount(8, out var referenceCount))
        {
            return false;
        }

        var references = referenceCount == 0 ? [] : new ValueReference[referenceCount];
        for (var i = 0; i < referenceCount; i++)
        {
            if (!reader.TryReadString(out var handle) || !reader.TryReadInt32(out var referenceIndex))
            {
                return false;
            }

            references[i] = new ValueReference(handle, referenceIndex);
        }

        value = new HandleValue
        {
            Index = index,
            Type = type,
            Data = data.ToArray(),
            TtlType = (TtlType)ttlType,
            Ttl = ttl,
            Timestamp = timestamp,
            Permissions = (ValuePermissions)permissions,
            References = references,
        };
        return true;
    }
}
