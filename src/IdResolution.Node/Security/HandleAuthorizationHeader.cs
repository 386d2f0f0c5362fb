using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace IdResolution.Node.Security;

/// <summary>
/// <c>Authorization: Handle version="0", sessionId="…", id="300%3A0.NA%2F88.709.911", type="HS_PUBKEY",
/// alg="SHA256", cnonce="…", signature="…"</c>, parsed strictly by the auth-param grammar of
/// RFC 9110 §11: <c>name = token / quoted-string</c>, separated by commas. Names are case-insensitive;
/// <c>id</c> is percent-decoded (as Handle.Net does). A name given twice, a bad quote, or anything
/// outside the grammar makes the whole header malformed. Unknown names are ignored.
/// </summary>
internal sealed class HandleAuthorizationHeader
{
    private const int MaxParameters = 32;

    public string? Version { get; private set; }

    public string? SessionId { get; private set; }

    public string? Id { get; private set; }

    public string? Type { get; private set; }

    public string? Alg { get; private set; }

    public string? Cnonce { get; private set; }

    public string? Signature { get; private set; }

    /// <summary>As in Handle.Net: any of id, type, alg or signature means the client is answering a challenge.</summary>
    public bool IsAuthenticating => Id is not null || Type is not null || Alg is not null || Signature is not null;

    public static bool TryParse(string? header, [NotNullWhen(true)] out HandleAuthorizationHeader? parsed, out string problem)
    {
        parsed = null;
        var text = (header ?? string.Empty).AsSpan();
        var position = SkipWhitespace(text, 0);
        const string scheme = "Handle";
        if (!text[position..].StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            problem = "the header does not start with Handle";
            return false;
        }

        position += scheme.Length;
        var afterScheme = SkipWhitespace(text, position);
        if (afterScheme == position || afterScheme == text.Length)
        {
            problem = "Handle must be followed by parameters";
            return false;
        }

        position = afterScheme;
        var result = new HandleAuthorizationHeader();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (position < text.Length)
        {
            var nameStart = position;
            while (position < text.Length && IsTokenChar(text[position]))
            {
                position++;
            }

            if (position == nameStart)
            {
                problem = $"a parameter name was expected at character {position + 1}";
                return false;
            }

            var name = text[nameStart..position].ToString();
            position = SkipWhitespace(text, position);
            if (position >= text.Length || text[position] != '=')
            {
                problem = $"parameter {name} has no '=' and value";
                return false;
            }

            position = SkipWhitespace(text, position + 1);
            if (!TryReadValue(text, ref position, out var value))
            {
                problem = $"the value of parameter {name} is not a token or a well-formed quoted string";
                return false;
            }

            if (!seen.Add(name) || seen.Count > MaxParameters)
            {
                problem = seen.Count > MaxParameters ? "too many parameters" : $"parameter {name} is given more than once";
                return false;
            }

            if (!result.Put(name, value))
            {
                problem = $"parameter {name} is not percent-encoded UTF-8";
                return false;
            }

            position = SkipWhitespace(text, position);
            if (position == text.Length)
            {
                break;
            }

            if (text[position] != ',')
            {
                problem = $"a comma was expected after parameter {name}";
                return false;
            }

            // Empty list elements are allowed (RFC 9110 §5.6.1), so are trailing commas.
            while (position < text.Length && (text[position] == ',' || text[position] == ' ' || text[position] == '\t'))
            {
                position++;
            }
        }

        parsed = result;
        problem = string.Empty;
        return true;
    }

    private bool Put(string name, string value)
    {
        switch (name.ToUpperInvariant())
        {
            case "VERSION":
                Version = value;
                break;
            case "SESSIONID":
                SessionId = value;
                break;
            case "ID":
                if (!TryPercentDecode(value, out var decoded))
                {
                    return false;
                }

                Id = decoded;
                break;
            case "TYPE":
                Type = value;
                break;
            case "ALG":
                Alg = value;
                break;
            case "CNONCE":
                Cnonce = value;
                break;
            case "SIGNATURE":
                Signature = value;
                break;
            default:
                // clientCert, renegotiate, salt... are Handle.Net features this node does not offer.
                break;
        }

        return true;
    }

    private static bool TryReadValue(ReadOnlySpan<char> text, ref int position, out string value)
    {
        value = string.Empty;
        if (position >= text.Length)
        {
            return false;
        }

        if (text[position] != '"')
        {
            var start = position;
            while (position < text.Length && IsTokenChar(text[position]))
            {
                position++;
            }

            value = text[start..position].ToString();
            return position > start;
        }

        var builder = new StringBuilder();
        position++;
        while (position < text.Length)
        {
            var c = text[position++];
            if (c == '"')
            {
                value = builder.ToString();
                return true;
            }

            if (c == '\\')
            {
                if (position >= text.Length || !IsQuotedTextChar(text[position]))
                {
                    return false;
                }

                c = text[position++];
            }
            else if (!IsQuotedTextChar(c))
            {
                return false;
            }

            builder.Append(c);
        }

        return false; // no closing quote
    }

    /// <summary>Percent-decoding that refuses a stray '%' and sequences that are not UTF-8; '+' stays '+' (as in Handle.Net).</summary>
    private static bool TryPercentDecode(string value, out string decoded)
    {
        decoded = value;
        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return true;
        }

        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '%')
            {
                if (i + 2 >= value.Length || !char.IsAsciiHexDigit(value[i + 1]) || !char.IsAsciiHexDigit(value[i + 2]))
                {
                    return false;
                }

                bytes.Add(Convert.FromHexString(value.AsSpan(i + 1, 2))[0]);
                i += 2;
            }
            else if (c < 0x80)
            {
                bytes.Add((byte)c);
            }
            else
            {
                return false;
            }
        }

        try
        {
            decoded = new UTF8Encoding(false, true).GetString([.. bytes]);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static int SkipWhitespace(ReadOnlySpan<char> text, int position)
    {
        while (position < text.Length && (text[position] == ' ' || text[position] == '\t'))
        {
            position++;
        }

        return position;
    }

    /// <summary>tchar of RFC 9110 §5.6.2.</summary>
    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';

    /// <summary>qdtext and the characters a quoted-pair may escape: HTAB, SP and visible ASCII (obs-text is refused).</summary>
    private static bool IsQuotedTextChar(char c) => c == '\t' || (c >= ' ' && c < 0x7F);
}
