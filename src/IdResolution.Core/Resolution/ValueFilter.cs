using IdResolution.Core.Records;

namespace IdResolution.Core.Resolution;

/// <summary>
/// The type and index filters of a resolution, OR'ed as in Handle.Net: a value is returned when its
/// type matches any requested type or its index is any requested index; no filters return everything.
/// A requested type ending in '.' also matches its subtypes (<c>URL.</c> matches <c>URL</c> and <c>URL.ja</c>);
/// otherwise types match exactly. Case is ignored for ASCII letters only.
/// </summary>
public sealed class ValueFilter
{
    public static readonly ValueFilter All = new([], []);

    private readonly string[] _types;
    private readonly int[] _indexes;

    public ValueFilter(IReadOnlyCollection<string> types, IReadOnlyCollection<int> indexes)
    {
        ArgumentNullException.ThrowIfNull(types);
        ArgumentNullException.ThrowIfNull(indexes);
        _types = [.. types];
        _indexes = [.. indexes];
    }

    public bool IsEmpty => _types.Length == 0 && _indexes.Length == 0;

    public bool Matches(HandleValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (IsEmpty)
        {
            return true;
        }

        if (Array.IndexOf(_indexes, value.Index) >= 0)
        {
            return true;
        }

        foreach (var requested in _types)
        {
            if (TypeMatches(requested, value.Type))
            {
                return true;
            }
        }

        return false;
    }

    public static bool TypeMatches(string requested, string type)
    {
        ArgumentNullException.ThrowIfNull(requested);
        ArgumentNullException.ThrowIfNull(type);
        if (type.Length == 0)
        {
            return false;
        }

        if (requested.EndsWith('.'))
        {
            // Subtypes of the parent (URL. matches URL.ja), or the parent itself (URL).
            return type.Length >= requested.Length
                ? EqualsIgnoreAsciiCase(type.AsSpan(0, requested.Length), requested)
                : EqualsIgnoreAsciiCase(type, requested.AsSpan(0, requested.Length - 1));
        }

        return EqualsIgnoreAsciiCase(requested, type);
    }

    /// <summary>Ordinal equality with ASCII letters folded; OrdinalIgnoreCase would fold non-ASCII letters too.</summary>
    private static bool EqualsIgnoreAsciiCase(ReadOnlySpan<char> left, ReadOnlySpan<char> right)
    {
        if (left.Length != right.Length)
        {
            return false;
        }

        for (var i = 0; i < left.Length; i++)
        {
            var l = left[i];
            var r = right[i];
            if (l != r && !(char.IsAsciiLetter(l) && (l | 0x20) == (r | 0x20)))
            {
                return false;
            }
        }

        return true;
    }
}
