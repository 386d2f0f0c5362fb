namespace IdResolution.Core.Telemetry;

/// <summary>One prefix among the busiest, with its resolutions since start (a count-min estimate: never below the truth).</summary>
public readonly record struct PrefixCount(string Prefix, long Resolutions);

/// <summary>
/// The prefixes resolved most since start, in bounded memory whatever the number of prefixes: a count-min
/// sketch counts every prefix, and a small table of candidate names remembers which prefixes were seen
/// lately. Fed from the resolution hot path without locks or allocation (atomic adds into per-processor
/// stripes, so a hot prefix does not make every core fight over one counter; a name is copied only when
/// it takes a free candidate slot). The reader (<see cref="Take"/>, once a second) ranks the candidates by
/// their estimates and frees the slots of the weaker half, so a prefix that becomes busy finds a slot.
/// Never a metric label per prefix: the list is for the operator's status, not for Prometheus.
/// </summary>
public sealed class TopPrefixes
{
    private const int Depth = 4;
    private const int Width = 2048;
    private const int Probes = 4;

    private readonly long[][] _stripes;
    private readonly int _stripeMask;
    private readonly string?[] _candidates;
    private readonly int _candidateMask;

    /// <param name="candidates">Candidate slots (rounded up to a power of two); twice the list shown keeps newcomers a place.</param>
    public TopPrefixes(int candidates = 64)
    {
        var stripes = (int)Math.Min(8, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, Environment.ProcessorCount)));
        _stripeMask = stripes - 1;
        _stripes = new long[stripes][];
        for (var i = 0; i < stripes; i++)
        {
            _stripes[i] = new long[Depth * Width];
        }

        var slots = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(Probes, candidates));
        _candidates = new string?[slots];
        _candidateMask = slots - 1;
    }

    /// <summary>Counts one resolution under <paramref name="prefix"/> (its canonical form).</summary>
    public void Add(ReadOnlySpan<char> prefix)
    {
        if (prefix.IsEmpty)
        {
            return;
        }

        var (h1, h2) = Hashes(prefix);
        var stripe = _stripes[Thread.GetCurrentProcessorId() & _stripeMask];
        for (var row = 0; row < Depth; row++)
        {
            Interlocked.Increment(ref stripe[(row * Width) + (int)((h1 + ((uint)row * h2)) & (Width - 1))]);
        }

        Remember(prefix, h1);
    }

    /// <summary>Resolutions counted under <paramref name="prefix"/> since start (an estimate that never undercounts).</summary>
    public long Estimate(ReadOnlySpan<char> prefix)
    {
        var (h1, h2) = Hashes(prefix);
        var least = long.MaxValue;
        for (var row = 0; row < Depth; row++)
        {
            var column = (row * Width) + (int)((h1 + ((uint)row * h2)) & (Width - 1));
            long sum = 0;
            foreach (var stripe in _stripes)
            {
                sum += Volatile.Read(ref stripe[column]);
            }

            least = Math.Min(least, sum);
        }

        return least;
    }

    /// <summary>
    /// The <paramref name="count"/> busiest prefixes, busiest first; frees the candidate slots of the prefixes
    /// ranked below the list's length so that others can enter. Meant for one reader at a time.
    /// </summary>
    public IReadOnlyList<PrefixCount> Take(int count)
    {
        var ranked = new List<(int Slot, PrefixCount Entry)>(_candidates.Length);
        for (var slot = 0; slot < _candidates.Length; slot++)
        {
            if (Volatile.Read(ref _candidates[slot]) is { } prefix)
            {
                ranked.Add((slot, new PrefixCount(prefix, Estimate(prefix))));
            }
        }

        ranked.Sort((a, b) => b.Entry.Resolutions.CompareTo(a.Entry.Resolutions) is var order && order != 0 ? order : string.CompareOrdinal(a.Entry.Prefix, b.Entry.Prefix));
        var keep = Math.Max(count, _candidates.Length / 2);
        for (var i = keep; i < ranked.Count; i++)
        {
            // A writer that re-enters a freed slot meanwhile only loses its place until the next round.
            Interlocked.CompareExchange(ref _candidates[ranked[i].Slot], null, ranked[i].Entry.Prefix);
        }

        return [.. ranked.Take(count).Select(r => r.Entry)];
    }

    private void Remember(ReadOnlySpan<char> prefix, uint hash)
    {
        for (var probe = 0; probe < Probes; probe++)
        {
            ref var slot = ref _candidates[(int)((hash + (uint)probe) & (uint)_candidateMask)];
            var held = Volatile.Read(ref slot);
            if (held is null)
            {
                // The one allocation: a name entering a free slot (at most a few per second once the table is warm).
                var name = prefix.ToString();
                held = Interlocked.CompareExchange(ref slot, name, null);
                if (held is null)
                {
                    return;
                }
            }

            if (prefix.SequenceEqual(held))
            {
                return;
            }
        }
    }

    private static (uint H1, uint H2) Hashes(ReadOnlySpan<char> prefix)
    {
        var h1 = (uint)string.GetHashCode(prefix, StringComparison.Ordinal);
        var h2 = 2166136261u;
        foreach (var c in prefix)
        {
            h2 = (h2 ^ c) * 16777619u;
        }

        // Odd, so the rows' columns never coincide for one prefix.
        return (h1, h2 | 1);
    }
}
