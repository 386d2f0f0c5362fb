using System.Text;

namespace IdResolution.Storage.Cassandra;

/// <summary>
/// Orders strings as Cassandra orders a <c>text</c> clustering column: by their UTF-8 bytes, which is
/// code-point order. UTF-16 ordinal order differs for characters above U+FFFF against U+E000–U+FFFF,
/// and a merge in a different order than the buckets' would skip or repeat handles.
/// </summary>
internal sealed class Utf8Order : IComparer<string>
{
    public static Utf8Order Instance { get; } = new();

    private Utf8Order()
    {
    }

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        var left = x.AsSpan();
        var right = y.AsSpan();
        while (!left.IsEmpty && !right.IsEmpty)
        {
            // Lone surrogates read as U+FFFD, as the strict encoder would refuse them anyway.
            Rune.DecodeFromUtf16(left, out var a, out var usedLeft);
            Rune.DecodeFromUtf16(right, out var b, out var usedRight);
            if (a != b)
            {
                return a.Value.CompareTo(b.Value);
            }

            left = left[usedLeft..];
            right = right[usedRight..];
        }

        return left.Length.CompareTo(right.Length);
    }
}
