using System.Buffers;
using System.IO.Hashing;
using System.Text;

namespace IdResolution.Storage.Cassandra;

/// <summary>
/// Where a handle's listing row lives: partition (prefix, bucket). Buckets spread a prefix of
/// hundreds of millions of handles over many partitions, keeping each far below the size at which
/// Cassandra warns (100 MB), at the price of merging buckets when listing.
/// </summary>
internal static class ListingBucket
{
    /// <summary>A listing page queries every bucket; beyond this a page would cost more than it is worth.</summary>
    public const int MaxBuckets = 1024;

    // Strict: a lenient encoder would hash distinct malformed keys alike, and then list one as the other.
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The bucket of a canonical handle key: XxHash3 (seed 0) of its UTF-8 bytes, modulo the bucket
    /// count. Never <see cref="string.GetHashCode()"/>, which changes from process to process.
    /// </summary>
    public static int Of(string key, int buckets)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(buckets, MaxBuckets);
        var length = Utf8.GetByteCount(key);
        var rented = length <= 512 ? null : ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Span<byte> bytes = rented ?? stackalloc byte[512];
            var written = Utf8.GetBytes(key, bytes);
            return (int)(XxHash3.HashToUInt64(bytes[..written]) % (ulong)buckets);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The prefix part of a canonical key (<c>prefix/suffix</c>): the other half of the listing partition key.</summary>
    public static string PrefixOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? key[..slash] : throw new ArgumentException($"'{key}' is not a handle key (prefix/suffix).", nameof(key));
    }
}
