using System.Runtime.CompilerServices;
using IdResolution.Core.Resolution;
using IdResolution.Core.Records;

namespace IdResolution.Node.Api;

/// <summary>
/// Encoded JSON answers of records answered whole (no filter, no value hidden from the caller, no referral), kept beside
/// the cached record they encode so a hot handle is encoded once, not on every resolve. Direct-mapped by the record's
/// identity: a lookup is one array read and one reference comparison, without locks; a colliding record replaces the
/// slot's. The record instance is the key, so an updated record (a new instance in the cache) is never answered with an
/// old encoding. Bounded at <see cref="Slots"/> answers (about 16 MB for answers of 1 KB) whatever the cache size.
/// </summary>
internal static class EncodedAnswers
{
    private const int Slots = 16_384;

    private static readonly Entry?[] Table = new Entry?[Slots];

    public static byte[] Get(Resolution resolution, Func<Resolution, byte[]> encode)
    {
        var record = resolution.Record;
        if (resolution.Referral is not null || !ReferenceEquals(resolution.Values, record.Values))
        {
            return encode(resolution);
        }

        var slot = RuntimeHelpers.GetHashCode(record) & (Slots - 1);
        if (Volatile.Read(ref Table[slot]) is { } entry && ReferenceEquals(entry.Record, record))
        {
            return entry.Body;
        }

        var body = encode(resolution);
        Volatile.Write(ref Table[slot], new Entry(record, body));
        return body;
    }

    private sealed record Entry(HandleRecord Record, byte[] Body);
}
