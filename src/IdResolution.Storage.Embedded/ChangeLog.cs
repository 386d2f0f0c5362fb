using System.Buffers.Binary;
using System.Globalization;
using IdResolution.Core.Records;
using IdResolution.Core.Storage;
using RocksDbSharp;

namespace IdResolution.Storage.Embedded;

/// <summary>
/// The change log (<see cref="IChangeFeed"/>) in RocksDB: one entry per applied change under
/// <see cref="KeyLayout.Change"/>, written by the writer loop in the same batch as the change, with the
/// newest position in <see cref="KeyLayout.ChangesLast"/>. Positions are dense (1, 2, 3, …): the loop is
/// the only writer and a batch lands whole or not at all, so a reader that finds a gap knows retention
/// made it. Retention deletes the oldest range and records the newest position it dropped in
/// <see cref="KeyLayout.ChangesTrimmed"/>, in one batch.
/// </summary>
/// <remarks>
/// Entry value: format (1), kind (0 deleted, 1 written), version (8), commit time in Unix milliseconds (8),
/// key length (4) and UTF-8 key, then the record in RecordCodec form when written. Little-endian numbers.
/// </remarks>
internal static class ChangeLog
{
    private const byte Format = 1;
    private const byte Deleted = 0;
    private const byte Written = 1;
    private const int HeaderBytes = 2 + sizeof(long) + sizeof(long) + sizeof(int);

    public static byte[] Encode(string key, long version, byte[]? record, long committedMilliseconds)
    {
        var keyBytes = KeyLayout.Utf8.GetBytes(key);
        var value = new byte[HeaderBytes + keyBytes.Length + (record?.Length ?? 0)];
        value[0] = Format;
        value[1] = record is null ? Deleted : Written;
        BinaryPrimitives.WriteInt64LittleEndian(value.AsSpan(2), version);
        BinaryPrimitives.WriteInt64LittleEndian(value.AsSpan(10), committedMilliseconds);
        BinaryPrimitives.WriteInt32LittleEndian(value.AsSpan(18), keyBytes.Length);
        keyBytes.CopyTo(value.AsSpan(HeaderBytes));
        record?.CopyTo(value.AsSpan(HeaderBytes + keyBytes.Length));
        return value;
    }

    public static ChangeEntry Decode(long position, ReadOnlySpan<byte> value)
    {
        if (value.Length < HeaderBytes || value[0] != Format || value[1] > Written)
        {
            throw Damaged(position, value.Length);
        }

        var keyLength = BinaryPrimitives.ReadInt32LittleEndian(value[18..]);
        if (keyLength < 1 || keyLength > value.Length - HeaderBytes)
        {
            throw Damaged(position, value.Length);
        }

        var key = KeyLayout.Utf8.GetString(value.Slice(HeaderBytes, keyLength));
        HandleRecord? record = null;
        if (value[1] == Written && !RecordCodec.TryDecode(value[(HeaderBytes + keyLength)..], out record))
        {
            throw Damaged(position, value.Length);
        }

        return new ChangeEntry(position, key, record, BinaryPrimitives.ReadInt64LittleEndian(value[2..]), CommittedAt(value));
    }

    /// <summary>Entries after <paramref name="after"/>, from one snapshot so a trim running meanwhile cannot tear the page.</summary>
    public static ChangePage Read(RocksDb db, long after, int limit)
    {
        using var snapshot = db.CreateSnapshot();
        var readOptions = new ReadOptions().SetSnapshot(snapshot).SetIterateUpperBound(KeyLayout.ChangeSpaceEnd);
        if (after < Number(db, KeyLayout.ChangesTrimmed, readOptions))
        {
            GC.KeepAlive(readOptions);
            return new ChangePage([], after, Trimmed: true);
        }

        var entries = new List<ChangeEntry>(Math.Min(limit, 1024));
        using (var iterator = db.NewIterator(readOptions: readOptions))
        {
            for (iterator.Seek(KeyLayout.Change(after + 1)); iterator.Valid() && entries.Count < limit; iterator.Next())
            {
                entries.Add(Decode(KeyLayout.PositionOfChange(iterator.GetKeySpan()), iterator.GetValueSpan()));
            }
        }

        GC.KeepAlive(readOptions);
        return new ChangePage(entries, entries.Count > 0 ? entries[^1].Position : after, Trimmed: false);
    }

    public static long Number(RocksDb db, byte[] key, ReadOptions? readOptions = null) =>
        StoredNumber.Decode(db.Get(key, null, readOptions), KeyLayout.Utf8.GetString(key));

    /// <summary>
    /// The newest position retention drops when it runs now: everything past <paramref name="options"/>'
    /// entry count, and every entry committed before its age. Commit times never go back (the writer keeps
    /// them monotonic), so the age bound is found by binary search over the dense positions.
    /// </summary>
    public static long TrimThrough(RocksDb db, long trimmed, long last, ChangeLogOptions options, DateTimeOffset now)
    {
        var through = Math.Max(trimmed, last - options.MaxEntries);
        var cutoff = (now - TimeSpan.FromHours(options.RetentionHours)).ToUnixTimeMilliseconds();
        var (low, high) = (through + 1, last);
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            if (CommittedMilliseconds(db, middle) < cutoff)
            {
                through = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return through;
    }

    /// <summary>The commit time of the newest entry, so a restarted writer keeps commit times monotonic.</summary>
    public static long LastCommittedMilliseconds(RocksDb db, long last) => last == 0 ? long.MinValue : CommittedMilliseconds(db, last);

    private static long CommittedMilliseconds(RocksDb db, long position) =>
        db.Get(KeyLayout.Change(position)) is { Length: >= HeaderBytes } value
            ? BinaryPrimitives.ReadInt64LittleEndian(value.AsSpan(10))
            : long.MinValue;

    private static DateTimeOffset CommittedAt(ReadOnlySpan<byte> value) =>
        DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64LittleEndian(value[10..]));

    private static InvalidDataException Damaged(long position, int length) => new(string.Create(CultureInfo.InvariantCulture,
        $"The change log entry at position {position} ({length} bytes) is damaged and cannot be decoded."));
}
