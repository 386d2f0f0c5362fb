using System.Buffers.Binary;
using System.Globalization;

namespace IdResolution.Storage.Embedded;

/// <summary>A 64-bit number as the store keeps it in a value: eight bytes, little-endian.</summary>
internal static class StoredNumber
{
    public static byte[] Encode(long number)
    {
        var bytes = new byte[sizeof(long)];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, number);
        return bytes;
    }

    /// <summary>The number, 0 when there is none; a value of another length is damage, named by <paramref name="what"/>.</summary>
    public static long Decode(byte[]? bytes, string what) => bytes switch
    {
        null => 0,
        { Length: sizeof(long) } => BinaryPrimitives.ReadInt64LittleEndian(bytes),
        _ => throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
            $"The stored {what} ({bytes.Length} bytes) is damaged.")),
    };
}
