using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace IdResolution.Core.Identifiers;

/// <summary>
/// Parses Handle-syntax identifiers (<c>prefix/suffix</c>, split at the first '/').
/// It runs on every request, so it is a single hand-written pass: no regex, and nothing is
/// allocated unless the result needs a new string (NFC normalisation or case folding).
/// </summary>
public sealed class HandleGrammar
{
    private readonly HandleSyntaxOptions _options;

    public HandleGrammar(HandleSyntaxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    public HandleSyntaxOptions Options => _options;

    public bool TryParse(string? input, [NotNullWhen(true)] out HandleId? id, out HandleSyntaxError error)
    {
        id = null;
        if (string.IsNullOrEmpty(input))
        {
            error = HandleSyntaxError.Empty;
            return false;
        }

        error = ScanCharacters(input, out var ascii);
        if (error != HandleSyntaxError.None)
        {
            return false;
        }

        // Non-ASCII text is stored in NFC so that visually equal identifiers are one record.
        var text = ascii || input.IsNormalized(NormalizationForm.FormC) ? input : input.Normalize(NormalizationForm.FormC);

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            error = HandleSyntaxError.MissingSlash;
            return false;
        }

        var prefix = text.AsSpan(0, slash);
        error = CheckPrefix(prefix);
        if (error != HandleSyntaxError.None)
        {
            return false;
        }

        var suffix = text.AsSpan(slash + 1);
        if (suffix.IsEmpty)
        {
            error = HandleSyntaxError.EmptySuffix;
            return false;
        }

        var bytes = ascii ? text.Length : Encoding.UTF8.GetByteCount(text);
        if (bytes > _options.MaxHandleBytes)
        {
            error = HandleSyntaxError.HandleTooLong;
            return false;
        }

        var isNamingAuthority = prefix.Equals(HandleId.NamingAuthorityPrefix, StringComparison.OrdinalIgnoreCase);
        if (isNamingAuthority)
        {
            // 0.NA/<prefix>: the suffix is itself a prefix and follows the prefix rules.
            error = CheckPrefix(suffix);
            if (error != HandleSyntaxError.None)
            {
                return false;
            }
        }

        var foldSuffix = isNamingAuthority || !_options.CaseSensitiveSuffixes;
        id = new HandleId(text, FoldAsciiUpper(text, foldSuffix ? text.Length : slash), slash);
        return true;
    }

    /// <summary>Parses a bare prefix such as <c>88.709.911</c> (also accepted as <c>0.NA/88.709.911</c>) into its key.</summary>
    public bool TryParsePrefix(string? input, [NotNullWhen(true)] out string? prefixKey, out HandleSyntaxError error)
    {
        prefixKey = null;
        if (string.IsNullOrEmpty(input))
        {
            error = HandleSyntaxError.Empty;
            return false;
        }

        var span = input.AsSpan();
        if (span.StartsWith(HandleId.NamingAuthorityPrefix + "/", StringComparison.OrdinalIgnoreCase))
        {
            span = span[(HandleId.NamingAuthorityPrefix.Length + 1)..];
        }

        error = ScanCharacters(input, out _);
        if (error == HandleSyntaxError.None)
        {
            error = span.IsEmpty ? HandleSyntaxError.EmptyPrefix : CheckPrefix(span);
        }

        if (error != HandleSyntaxError.None)
        {
            return false;
        }

        var prefix = span.Length == input.Length ? input : span.ToString();
        prefixKey = FoldAsciiUpper(prefix, prefix.Length);
        return true;
    }

    public string Describe(HandleSyntaxError error) => HandleSyntaxMessages.Describe(error, _options);

    /// <summary>
    /// Whether two spellings name the same handle: the same key (prefix ASCII-case-insensitive, the
    /// suffix too unless suffixes are case-sensitive, NFC). Text that is not a handle names the same
    /// handle as another text only when the two are identical.
    /// </summary>
    public bool SameHandle(string? first, string? second) =>
        TryParse(first, out var a, out _) && TryParse(second, out var b, out _)
            ? a.Equals(b)
            : string.Equals(first, second, StringComparison.Ordinal);

    private static HandleSyntaxError ScanCharacters(string input, out bool ascii)
    {
        ascii = true;
        if (char.IsWhiteSpace(input[0]) || char.IsWhiteSpace(input[^1]))
        {
            return HandleSyntaxError.SurroundingWhitespace;
        }

        for (var i = 0; i < input.Length; i++)
        {
            var c = input[i];
            if (c < 0x80)
            {
                if (c < 0x20 || c == 0x7F)
                {
                    return HandleSyntaxError.ControlCharacter;
                }

                continue;
            }

            ascii = false;
            if (char.IsControl(c))
            {
                return HandleSyntaxError.ControlCharacter;
            }

            if (char.IsHighSurrogate(c) && i + 1 < input.Length && char.IsLowSurrogate(input[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return HandleSyntaxError.UnpairedSurrogate;
            }
        }

        return HandleSyntaxError.None;
    }

    private HandleSyntaxError CheckPrefix(ReadOnlySpan<char> prefix)
    {
        if (prefix.IsEmpty)
        {
            return HandleSyntaxError.EmptyPrefix;
        }

        var segmentLength = 0;
        foreach (var c in prefix)
        {
            if (c == '.')
            {
                if (segmentLength == 0)
                {
                    return HandleSyntaxError.EmptyPrefixSegment;
                }

                segmentLength = 0;
                continue;
            }

            if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'))
            {
                return HandleSyntaxError.InvalidPrefixCharacter;
            }

            segmentLength++;
        }

        if (segmentLength == 0)
        {
            return HandleSyntaxError.EmptyPrefixSegment;
        }

        // Prefix characters are ASCII (checked above), so chars are bytes.
        return prefix.Length > _options.MaxPrefixBytes ? HandleSyntaxError.PrefixTooLong : HandleSyntaxError.None;
    }

    /// <summary>Upper-cases ASCII letters in the first <paramref name="length"/> characters; Handle.Net folds ASCII only.</summary>
    private static string FoldAsciiUpper(string text, int length)
    {
        if (!text.AsSpan(0, length).ContainsAnyInRange('a', 'z'))
        {
            return text;
        }

        return string.Create(text.Length, (text, length), static (span, state) =>
        {
            state.text.AsSpan().CopyTo(span);
            for (var i = 0; i < state.length; i++)
            {
                if (char.IsAsciiLetterLower(span[i]))
                {
                    span[i] = (char)(span[i] - ('a' - 'A'));
                }
            }
        });
    }
}
