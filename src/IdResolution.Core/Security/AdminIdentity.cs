using System.Globalization;
using IdResolution.Core.Records;

namespace IdResolution.Core.Security;

/// <summary>
/// The text form of an admin identity, <c>index:handle</c> (e.g. <c>300:0.NA/88.709.911</c>), as
/// Handle.Net reads it: digits before the first colon are the index; without them the whole text
/// is the handle and the index is 0 ("any key value of that handle").
/// </summary>
public static class AdminIdentity
{
    public static bool TryParse(string? text, out ValueReference identity)
    {
        identity = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && IsDigits(text.AsSpan(0, colon)))
        {
            if (!int.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                return false;
            }

            var handle = text[(colon + 1)..];
            if (handle.Length == 0)
            {
                return false;
            }

            identity = new ValueReference(handle, index);
            return true;
        }

        identity = new ValueReference(text, 0);
        return true;
    }

    public static string Format(ValueReference identity) =>
        identity.Index.ToString(CultureInfo.InvariantCulture) + ":" + identity.Handle;

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
