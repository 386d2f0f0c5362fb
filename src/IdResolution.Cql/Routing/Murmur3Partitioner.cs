using System.Buffers.Binary;
using System.Numerics;

namespace IdResolution.Cql.Routing;

/// <summary>
/// The token Cassandra's <c>Murmur3Partitioner</c> gives a serialized partition key: the first half of
/// its <c>MurmurHash.hash3_x64_128</c> with seed 0. That hash is not the reference MurmurHash3: it reads
/// the 1 to 15 tail bytes as signed (sign-extended to 64 bits), so keys with a tail byte ≥ 0x80 hash
/// differently from textbook implementations, and routing must follow the server.
/// </summary>
public static class Murmur3Partitioner
{
    private const ulong C1 = 0x87c37b91114253d5;
    private const ulong C2 = 0x4cf5ad432745937f;

    public static long GetToken(ReadOnlySpan<byte> partitionKey) =>

        // The server gives the empty key the minimum token instead of hashing it.
        partitionKey.IsEmpty ? long.MinValue : Normalize(Hash3X64128First(partitionKey));

    /// <summary>
    /// Long.MinValue is the ring's minimum, which no key may own, so a hash landing on it takes Long.MaxValue.
    /// </summary>
    internal static long Normalize(long hash) => hash == long.MinValue ? long.MaxValue : hash;

    /// <summary>The first 64-bit half of Cassandra's hash3_x64_128 with seed 0.</summary>
    internal static long Hash3X64128First(ReadOnlySpan<byte> key)
    {
        ulong h1 = 0;
        ulong h2 = 0;
        var blocks = key.Length / 16;
        for (var i = 0; i < blocks; i++)
        {
            var block = key.Slice(i * 16, 16);
            h1 ^= MixK1(BinaryPrimitives.ReadUInt64LittleEndian(block));
            h1 = (BitOperations.RotateLeft(h1, 27) + h2) * 5 + 0x52dce729;
            h2 ^= MixK2(BinaryPrimitives.ReadUInt64LittleEndian(block[8..]));
            h2 = (BitOperations.RotateLeft(h2, 31) + h1) * 5 + 0x38495ab5;
        }

        var tail = key[(blocks * 16)..];
        if (tail.Length > 8)
        {
            h2 ^= MixK2(TailWord(tail[8..]));
        }

        if (!tail.IsEmpty)
        {
            h1 ^= MixK1(TailWord(tail[..Math.Min(8, tail.Length)]));
        }

        h1 ^= (ulong)key.Length;
        h2 ^= (ulong)key.Length;
        h1 += h2;
        h2 += h1;
        h1 = FinalMix(h1);
        h2 = FinalMix(h2);
        h1 += h2;
        return unchecked((long)h1);
    }

    /// <summary>
    /// Up to 8 tail bytes, little-endian, each sign-extended before it is shifted into place and
    /// XORed in, as Cassandra's <c>(long) key.get(i) &lt;&lt; n</c> does: a byte ≥ 0x80 sets every bit above it.
    /// </summary>
    private static ulong TailWord(ReadOnlySpan<byte> bytes)
    {
        ulong word = 0;
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            word ^= unchecked((ulong)(long)(sbyte)bytes[i]) << (8 * i);
        }

        return word;
    }

    private static ulong MixK1(ulong k1) => BitOperations.RotateLeft(k1 * C1, 31) * C2;

    private static ulong MixK2(ulong k2) => BitOperations.RotateLeft(k2 * C2, 33) * C1;

    private static ulong FinalMix(ulong k)
    {
        k ^= k >> 33;
        k *= 0xff51afd7ed558ccd;
        k ^= k >> 33;
        k *= 0xc4ceb9fe1a85ec53;
        k ^= k >> 33;
        return k;
    }
}
