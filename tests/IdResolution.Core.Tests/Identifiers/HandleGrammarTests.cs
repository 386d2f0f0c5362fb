using System.Text;
using IdResolution.Core.Identifiers;

namespace IdResolution.Core.Tests.Identifiers;

public sealed class HandleGrammarTests
{
    private static readonly HandleGrammar Grammar = new(new HandleSyntaxOptions());
    private static readonly HandleGrammar CaseSensitive = new(new HandleSyntaxOptions { CaseSensitiveSuffixes = true });

    private static readonly string Cjk83 = string.Concat(Enumerable.Repeat("产", 83));

    /// <summary>Input, expected Text, Key, PrefixKey, IsPrefixHandle, and whether suffixes are case-sensitive.</summary>
    public static TheoryData<string, string, string, string, bool, bool> Valid => new()
    {
        { "88.709.911/abc-0001", "88.709.911/abc-0001", "88.709.911/ABC-0001", "88.709.911", false, false },
        { "88.709.911/ABC-0001", "88.709.911/ABC-0001", "88.709.911/ABC-0001", "88.709.911", false, false },
        { "88.1/a/b/c", "88.1/a/b/c", "88.1/A/B/C", "88.1", false, false },
        { "88.1//", "88.1//", "88.1//", "88.1", false, false },
        { "88.709.911/产品-001", "88.709.911/产品-001", "88.709.911/产品-001", "88.709.911", false, false },
        { "88.1/cafe\u0301", "88.1/caf\u00E9", "88.1/CAF\u00E9", "88.1", false, false },
        { "88.1/\u00E4b", "88.1/\u00E4b", "88.1/\u00E4B", "88.1", false, false },
        { "88.1/\U0001F600", "88.1/\U0001F600", "88.1/\U0001F600", "88.1", false, false },
        { "88.1/hello world", "88.1/hello world", "88.1/HELLO WORLD", "88.1", false, false },
        { "88.1/a#b?c%20d", "88.1/a#b?c%20d", "88.1/A#B?C%20D", "88.1", false, false },
        { "a-b_c.d9/x", "a-b_c.d9/x", "A-B_C.D9/X", "A-B_C.D9", false, false },
        { "0.NA/88.709.911", "0.NA/88.709.911", "0.NA/88.709.911", "0.NA", true, false },
        { "0.na/88.abc", "0.na/88.abc", "0.NA/88.ABC", "0.NA", true, false },
        { "0.NA/0.NA", "0.NA/0.NA", "0.NA/0.NA", "0.NA", true, false },
        { "88.1/" + new string('a', 250), "88.1/" + new string('a', 250), "88.1/" + new string('A', 250), "88.1", false, false },
        { "88.1/" + Cjk83 + "a", "88.1/" + Cjk83 + "a", "88.1/" + Cjk83 + "A", "88.1", false, false },
        { new string('p', 64) + "/x", new string('p', 64) + "/x", new string('P', 64) + "/X", new string('P', 64), false, false },
        { "88.abc/AbC-x", "88.abc/AbC-x", "88.ABC/AbC-x", "88.ABC", false, true },
        { "88.1/lower", "88.1/lower", "88.1/lower", "88.1", false, true },
        { "0.na/88.abc", "0.na/88.abc", "0.NA/88.ABC", "0.NA", true, true },
    };

    /// <summary>
    /// Input and the reason it is refused. Some rows hold unpaired surrogates, which do not survive
    /// serialisation of test cases, so this table is enumerated when the tests run.
    /// </summary>
    public static TheoryData<string, HandleSyntaxError> Invalid => new()
    {
        { "", HandleSyntaxError.Empty },
        { "88.709.911", HandleSyntaxError.MissingSlash },
        { "/abc", HandleSyntaxError.EmptyPrefix },
        { "/", HandleSyntaxError.EmptyPrefix },
        { "88.1/", HandleSyntaxError.EmptySuffix },
        { ".88.1/abc", HandleSyntaxError.EmptyPrefixSegment },
        { "88.1./abc", HandleSyntaxError.EmptyPrefixSegment },
        { "88..1/abc", HandleSyntaxError.EmptyPrefixSegment },
        { "88 1/abc", HandleSyntaxError.InvalidPrefixCharacter },
        { "88#1/abc", HandleSyntaxError.InvalidPrefixCharacter },
        { "88.产品/abc", HandleSyntaxError.InvalidPrefixCharacter },
        { "88.\u00E9/abc", HandleSyntaxError.InvalidPrefixCharacter },
        { "8\u00008/abc", HandleSyntaxError.ControlCharacter },
        { "88.1/a\u0000b", HandleSyntaxError.ControlCharacter },
        { "88\u0007/abc", HandleSyntaxError.ControlCharacter },
        { "88.1/a\u0007b", HandleSyntaxError.ControlCharacter },
        { "88\u007F/abc", HandleSyntaxError.ControlCharacter },
        { "88.1/a\u007Fb", HandleSyntaxError.ControlCharacter },
        { "88\u0085.1/abc", HandleSyntaxError.ControlCharacter },
        { "88.1/a\u0085b", HandleSyntaxError.ControlCharacter },
        { "88.1/a\nb", HandleSyntaxError.ControlCharacter },
        { "88.1/a\uD800b", HandleSyntaxError.UnpairedSurrogate },
        { "88.1/a\uDC00", HandleSyntaxError.UnpairedSurrogate },
        { "88.1/\uDE00\uD83D", HandleSyntaxError.UnpairedSurrogate },
        { " 88.1/abc", HandleSyntaxError.SurroundingWhitespace },
        { "88.1/abc ", HandleSyntaxError.SurroundingWhitespace },
        { "\t88.1/abc", HandleSyntaxError.SurroundingWhitespace },
        { "88.1/abc\u3000", HandleSyntaxError.SurroundingWhitespace },
        { "88.1/abc\u0085", HandleSyntaxError.SurroundingWhitespace },
        { "88.1/" + new string('a', 251), HandleSyntaxError.HandleTooLong },
        { "88.1/" + Cjk83 + "ab", HandleSyntaxError.HandleTooLong },
        { "88.1/" + string.Concat(Enumerable.Repeat("产", 86)), HandleSyntaxError.HandleTooLong },
        { new string('p', 65) + "/x", HandleSyntaxError.PrefixTooLong },
        { "88." + new string('1', 62) + "/x", HandleSyntaxError.PrefixTooLong },
        { "0.NA/", HandleSyntaxError.EmptySuffix },
        { "0.NA/88..1", HandleSyntaxError.EmptyPrefixSegment },
        { "0.NA/88.1.", HandleSyntaxError.EmptyPrefixSegment },
        { "0.NA/88.1/x", HandleSyntaxError.InvalidPrefixCharacter },
        { "0.NA/产品", HandleSyntaxError.InvalidPrefixCharacter },
        { "0.NA/" + new string('p', 65), HandleSyntaxError.PrefixTooLong },
    };

    /// <summary>
    /// Every ASCII character, in a prefix and in a suffix, against the rule written out here rather
    /// than against the tables: a grammar that lets one more character into prefixes fails this.
    /// </summary>
    [Fact]
    public void Every_ascii_character_is_placed_by_the_rule_not_by_the_tables()
    {
        var wrong = new List<string>();
        for (var c = (char)0; c < 0x80; c++)
        {
            var control = c < 0x20 || c == 0x7F;
            // '.' separates segments and '/' ends the prefix, so both leave "88?1/x" a valid handle.
            var inPrefix = control ? HandleSyntaxError.ControlCharacter
                : char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' ? HandleSyntaxError.None
                : HandleSyntaxError.InvalidPrefixCharacter;
            Expect(c, $"88{c}1/x", inPrefix);
            Expect(c, $"88.1/a{c}b", control ? HandleSyntaxError.ControlCharacter : HandleSyntaxError.None);
        }

        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));

        void Expect(char c, string input, HandleSyntaxError expected)
        {
            Grammar.TryParse(input, out _, out var error);
            if (error != expected)
            {
                wrong.Add($"U+{(int)c:X4} in \"{Escape(input)}\": {error}, expected {expected}");
            }
        }
    }

    /// <summary>
    /// Handles of every length around the byte limit, in characters of one, two, three and four UTF-8
    /// bytes, and prefixes of every length around theirs: accepted up to the limit, refused one beyond.
    /// </summary>
    [Fact]
    public void Lengths_are_accepted_up_to_the_byte_limits_and_refused_beyond_them()
    {
        var options = new HandleSyntaxOptions();
        var wrong = new List<string>();
        foreach (var unit in new[] { "a", "\u00E9", "\u4EA7", "\U0001F600" })
        {
            var unitBytes = Encoding.UTF8.GetByteCount(unit);
            for (var count = 1; 5 + (count * unitBytes) <= options.MaxHandleBytes + 8; count++)
            {
                var input = "88.1/" + string.Concat(Enumerable.Repeat(unit, count));
                var bytes = Encoding.UTF8.GetByteCount(input);
                var expected = bytes <= options.MaxHandleBytes ? HandleSyntaxError.None : HandleSyntaxError.HandleTooLong;
                Grammar.TryParse(input, out _, out var error);
                if (error != expected)
                {
                    wrong.Add($"{count} x U+{char.ConvertToUtf32(unit, 0):X4} ({bytes} bytes): {error}, expected {expected}");
                }
            }
        }

        for (var length = 1; length <= options.MaxPrefixBytes + 4; length++)
        {
            var prefix = new string('9', length);
            var expected = length <= options.MaxPrefixBytes ? HandleSyntaxError.None : HandleSyntaxError.PrefixTooLong;
            Grammar.TryParse(prefix + "/x", out _, out var error);
            Grammar.TryParsePrefix(prefix, out _, out var bareError);
            if (error != expected || bareError != expected)
            {
                wrong.Add($"prefix of {length} bytes: {error} as a handle, {bareError} alone, expected {expected}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    [Theory]
    [MemberData(nameof(Valid))]
    public void Valid_identifiers_parse_to_their_canonical_key(string input, string text, string key, string prefixKey, bool isPrefixHandle, bool caseSensitive)
    {
        var grammar = caseSensitive ? CaseSensitive : Grammar;

        Assert.True(grammar.TryParse(input, out var id, out var error), $"refused with {error}");
        Assert.Equal(HandleSyntaxError.None, error);
        Assert.Equal(text, id.Text);
        Assert.True(id.Text.IsNormalized(NormalizationForm.FormC));
        Assert.Equal(key, id.Key);
        Assert.Equal(prefixKey, id.PrefixKey);
        Assert.Equal(isPrefixHandle, id.IsPrefixHandle);
        Assert.Equal(text.IndexOf('/', StringComparison.Ordinal), id.SlashIndex);
        Assert.Equal(text[..id.SlashIndex], id.Prefix.ToString());
        Assert.Equal(text[(id.SlashIndex + 1)..], id.Suffix.ToString());
        Assert.Equal(text, id.ToString());
    }

    [Theory]
    [MemberData(nameof(Invalid), DisableDiscoveryEnumeration = true)]
    public void Invalid_identifiers_are_refused_with_their_reason(string input, HandleSyntaxError expected)
    {
        Assert.False(Grammar.TryParse(input, out var id, out var error));
        Assert.Null(id);
        Assert.Equal(expected, error);
        Assert.False(string.IsNullOrWhiteSpace(Grammar.Describe(error)));
    }

    [Fact]
    public void Null_is_refused_as_empty()
    {
        Assert.False(Grammar.TryParse(null, out _, out var error));
        Assert.Equal(HandleSyntaxError.Empty, error);
    }

    [Fact]
    public void Nfd_and_nfc_spellings_are_one_identifier()
    {
        Assert.True(Grammar.TryParse("88.1/e\u0301", out var decomposed, out _));
        Assert.True(Grammar.TryParse("88.1/\u00E9", out var composed, out _));

        Assert.Equal("88.1/\u00E9", decomposed.Text);
        Assert.Equal(composed, decomposed);
        Assert.Equal(composed.GetHashCode(), decomposed.GetHashCode());
    }

    [Fact]
    public void Identifiers_that_differ_only_in_ascii_case_are_equal_unless_suffixes_are_case_sensitive()
    {
        Assert.True(Grammar.TryParse("88.709.911/abc", out var lower, out _));
        Assert.True(Grammar.TryParse("88.709.911/ABC", out var upper, out _));
        Assert.Equal(lower, upper);

        Assert.True(CaseSensitive.TryParse("88.709.911/abc", out var sensitiveLower, out _));
        Assert.True(CaseSensitive.TryParse("88.709.911/ABC", out var sensitiveUpper, out _));
        Assert.NotEqual(sensitiveLower, sensitiveUpper);
    }

    [Fact]
    public void Limits_come_from_the_options()
    {
        var strict = new HandleGrammar(new HandleSyntaxOptions { MaxHandleBytes = 10, MaxPrefixBytes = 3 });

        Assert.True(strict.TryParse("123/567890", out _, out _));
        Assert.False(strict.TryParse("123/5678901", out _, out var tooLong));
        Assert.Equal(HandleSyntaxError.HandleTooLong, tooLong);
        Assert.False(strict.TryParse("1234/x", out _, out var prefixTooLong));
        Assert.Equal(HandleSyntaxError.PrefixTooLong, prefixTooLong);
        Assert.Contains("10", strict.Describe(HandleSyntaxError.HandleTooLong), StringComparison.Ordinal);
        Assert.Contains("3", strict.Describe(HandleSyntaxError.PrefixTooLong), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_error_has_its_own_message()
    {
        var errors = Enum.GetValues<HandleSyntaxError>();
        var messages = errors.Select(Grammar.Describe).ToList();

        Assert.All(messages, message => Assert.False(string.IsNullOrWhiteSpace(message)));
        Assert.Equal(errors.Length, messages.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("88.709.911", "88.709.911")]
    [InlineData("88.abc.x_y-z", "88.ABC.X_Y-Z")]
    [InlineData("0.NA/88.709.911", "88.709.911")]
    [InlineData("0.na/88.abc", "88.ABC")]
    [InlineData("0.NA", "0.NA")]
    [InlineData("0.na", "0.NA")]
    public void Prefixes_parse_to_their_key(string input, string expected)
    {
        Assert.True(Grammar.TryParsePrefix(input, out var key, out var error), $"refused with {error}");
        Assert.Equal(HandleSyntaxError.None, error);
        Assert.Equal(expected, key);
    }

    [Theory]
    [InlineData(null, HandleSyntaxError.Empty)]
    [InlineData("", HandleSyntaxError.Empty)]
    [InlineData("88.709.911.", HandleSyntaxError.EmptyPrefixSegment)]
    [InlineData(".88", HandleSyntaxError.EmptyPrefixSegment)]
    [InlineData("88..1", HandleSyntaxError.EmptyPrefixSegment)]
    [InlineData("0.NA/", HandleSyntaxError.EmptyPrefix)]
    [InlineData("0.NA/88..1", HandleSyntaxError.EmptyPrefixSegment)]
    [InlineData("88.709.911/abc", HandleSyntaxError.InvalidPrefixCharacter)]
    [InlineData("88 1", HandleSyntaxError.InvalidPrefixCharacter)]
    [InlineData("88.产品", HandleSyntaxError.InvalidPrefixCharacter)]
    [InlineData(" 88.1", HandleSyntaxError.SurroundingWhitespace)]
    [InlineData("88\u00001", HandleSyntaxError.ControlCharacter)]
    [InlineData("ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp", HandleSyntaxError.PrefixTooLong)]
    public void Invalid_prefixes_are_refused_with_their_reason(string? input, HandleSyntaxError expected)
    {
        Assert.False(Grammar.TryParsePrefix(input, out var key, out var error));
        Assert.Null(key);
        Assert.Equal(expected, error);
    }

    private static string Escape(string text) => string.Concat(text.Select(c => c < 0x20 || c == 0x7F ? $"\\u{(int)c:X4}" : c.ToString()));
}
