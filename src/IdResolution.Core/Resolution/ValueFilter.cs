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
            var parent = requested.AsSpan(0, requested.Length - 1);
            return type.AsSpan().StartsWith(requested, StringComparison.OrdinalIgnoreCase)
                || type.AsSpan().Equals(parent, StringComparison.OrdinalIgnoreCase);
        }

        return string.Equals(requested, type, StringComparison.OrdinalIgnoreCase);
    }
}
