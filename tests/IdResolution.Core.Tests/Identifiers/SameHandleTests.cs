using IdResolution.Core.Identifiers;

namespace IdResolution.Core.Tests.Identifiers;

/// <summary>Two spellings name the same handle exactly when their keys are equal.</summary>
public sealed class SameHandleTests
{
    private static readonly HandleGrammar Grammar = new(new HandleSyntaxOptions());
    private static readonly HandleGrammar CaseSensitive = new(new HandleSyntaxOptions { CaseSensitiveSuffixes = true });

    [Theory]
    [InlineData("88.709.911/abc", "88.709.911/ABC", true)]
    [InlineData("88.abc/x", "88.ABC/X", true)]
    [InlineData("0.na/88.abc", "0.NA/88.ABC", true)]
    [InlineData("88.1/cafe\u0301", "88.1/caf\u00E9", true)]
    [InlineData("88.709.911/abc", "88.709.912/abc", false)]
    [InlineData("88.709.911/abc", "88.709.911/abcd", false)]
    [InlineData("88.709.911/abc", "88.709.911/abc ", false)]
    [InlineData("88.709.911/", "88.709.911/", true)]
    [InlineData("88.709.911/", "88.709.911", false)]
    [InlineData("not a handle", "NOT A HANDLE", false)]
    [InlineData(null, "88.1/a", false)]
    public void Spellings_name_the_same_handle_when_their_keys_are_equal(string? first, string? second, bool same)
    {
        Assert.Equal(same, Grammar.SameHandle(first, second));
        Assert.Equal(same, Grammar.SameHandle(second, first));
    }

    [Fact]
    public void With_case_sensitive_suffixes_only_the_prefix_folds()
    {
        Assert.True(CaseSensitive.SameHandle("88.abc/X", "88.ABC/X"));
        Assert.False(CaseSensitive.SameHandle("88.abc/x", "88.abc/X"));
    }
}
