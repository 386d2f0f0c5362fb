using System.Runtime.CompilerServices;
using IdResolution.Core.Records;

namespace IdResolution.Node.Api;

/// <summary>
/// Answers built from a record answered whole (no filter, no value hidden from the caller, no referral), kept beside
/// the cached record they were built from, so a hot handle's answer (its contract message, or its encoded JSON) is
/// built once, not on every resolve. Direct-mapped by the record's identity: a lookup is one array read and one
/// reference comparison, without locks; a colliding record replaces the slot's. The record instance is the key, so an
/// updated record (a new instance in the cache) is never answered with an old answer. Bounded at <see cref="Slots"/>
/// answers (about 16 MB of answers of 1 KB) whatever the cache size. Answers are shared between calls and must never
/// be changed once built.
/// </summary>
internal sealed class WholeRecordAnswers<T>
    where T : class
{
    private const int Slots = 16_384;

    private readonly Entry?[] _table = new Entry?[Slots];

    /// <summary>Whether a resolution's answer is its record's whole answer, the only kind kept.</summary>
    public static bool IsWhole(Core.Resolution.Resolution resolution) =>
        resolution.Referral is null && ReferenceEquals(resolution.Values, resolution.Record.Values);

    public T Get(Core.Resolution.Resolution resolution, Func<Core.Resolution.Resolution, T> build)
    {
        if (!IsWhole(resolution))
        {
            return build(resolution);
        }

        var record = resolution.Record;
        var slot = RuntimeHelpers.GetHashCode(record) & (Slots - 1);
        if (Volatile.Read(ref _table[slot]) is { } entry && ReferenceEquals(entry.Record, record))
        {
            return entry.Answer;
        }

        var answer = build(resolution);
        Volatile.Write(ref _table[slot], new Entry(record, answer));
        return answer;
    }

    private sealed record Entry(HandleRecord Record, T Answer);
}
