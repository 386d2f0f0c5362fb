using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace IdResolution.Core.Escrow;

/// <summary>
/// The checksum of one record in a copy: the first eight bytes of SHA-256 over its canonical key and
/// version. A prefix's checksum is the wrapping sum of its records' (<see cref="PrefixChecksums"/>), so it
/// does not depend on the order records are read in, and a child computes over its own store exactly what
/// its parent computes over the escrow copy. A sum, not an exclusive or: a record counted twice changes it.
/// </summary>
public static class RecordChecksum
{
    // Keys are bounded by the record limits; longer ones (never stored) are hashed from a rented buffer.
    private const int StackBytes = 512;

    public static ulong Of(string key, long version)
    {
        ArgumentNullException.ThrowIfNull(key);
        var length = Encoding.UTF8.GetByteCount(key) + 1 + sizeof(long);
        var buffer = length <= StackBytes ? stackalloc byte[length] : new byte[length];
        var written = Encoding.UTF8.GetBytes(key, buffer);

        // A separator the UTF-8 of a key never holds, so no (key, version) pair runs into another.
        buffer[written] = 0;
        BinaryPrimitives.WriteInt64LittleEndian(buffer[(written + 1)..], version);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer, hash);
        return BinaryPrimitives.ReadUInt64LittleEndian(hash);
    }

    /// <summary>The prefix a record counts under: its key up to the first slash (the whole key when it has none).</summary>
    public static string PrefixOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? key[..slash] : key;
    }
}
