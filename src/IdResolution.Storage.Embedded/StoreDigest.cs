using System.Buffers.Binary;
using System.Security.Cryptography;
using RocksDbSharp;

namespace IdResolution.Storage.Embedded;

/// <summary>
/// What a store holds, in three figures: its change log position, its number of handle records, and one SHA-256
/// over every record's key and stored bytes in key order. Two stores with the same figures hold the same records
/// up to the same position; a backup records them, and a restored store is checked against them.
/// </summary>
public sealed record StoreDigest(long FeedPosition, long Records, string RecordsSha256)
{
    private static readonly byte[] RecordSpaceStart = "r:"u8.ToArray();
    private static readonly byte[] RecordSpaceEnd = "r;"u8.ToArray();

    /// <summary>The figures of a store directory no process has open (read-only: the directory is left unchanged).</summary>
    public static StoreDigest Of(string storePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(storePath);
        var options = new DbOptions();
        using var db = RocksDb.OpenReadOnly(options, Path.GetFullPath(storePath), false);
        var digest = Of(db);
        GC.KeepAlive(options);
        return digest;
    }

    internal static StoreDigest Of(RocksDb db)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var length = new byte[sizeof(int)];
        long records = 0;
        var readOptions = new ReadOptions().SetIterateUpperBound(RecordSpaceEnd);
        using var iterator = db.NewIterator(readOptions: readOptions);
        for (iterator.Seek(RecordSpaceStart); iterator.Valid(); iterator.Next())
        {
            // Length-prefixed, so no two different key/value sequences hash the same bytes.
            foreach (var part in (ReadOnlySpan<byte[]>)[iterator.Key(), iterator.Value()])
            {
                BinaryPrimitives.WriteInt32LittleEndian(length, part.Length);
                hash.AppendData(length);
                hash.AppendData(part);
            }

            records++;
        }

        GC.KeepAlive(readOptions);
        var position = StoredNumber.Decode(db.Get(KeyLayout.ChangesLast), "change log position");
        return new StoreDigest(position, records, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }
}
