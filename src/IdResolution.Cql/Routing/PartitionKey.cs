using System.Buffers.Binary;

namespace IdResolution.Cql.Routing;

/// <summary>The routing key of a partition key, as the server serializes it before hashing.</summary>
public static class PartitionKey
{
    /// <summary>
    /// A key of two or more columns, laid out as Cassandra's <c>CompositeType</c> does: for each
    /// component, its length as an unsigned 16-bit big-endian integer, its bytes, then an end-of-component
    /// byte 0x00. A single-column key is its value's bytes alone and must not go through here.
    /// </summary>
    public static byte[] Composite(params ReadOnlySpan<ReadOnlyMemory<byte>> components)
    {
        if (components.Length < 2)
        {
            throw new ArgumentException("A composite key has at least two components.", nameof(components));
        }

        var length = 0;
        foreach (var component in components)
        {
            if (component.Length > ushort.MaxValue)
            {
                throw new ArgumentException($"A key component of {component.Length} bytes exceeds the 65535 a composite holds.", nameof(components));
            }

            length += 2 + component.Length + 1;
        }

        var key = new byte[length];
        var offset = 0;
        foreach (var component in components)
        {
            BinaryPrimitives.WriteUInt16BigEndian(key.AsSpan(offset), (ushort)component.Length);
            component.Span.CopyTo(key.AsSpan(offset + 2));
            offset += 2 + component.Length + 1;
        }

        return key;
    }
}
