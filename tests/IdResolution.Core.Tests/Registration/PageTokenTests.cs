using IdResolution.Core.Registration;

namespace IdResolution.Core.Tests.Registration;

public sealed class PageTokenTests
{
    [Theory]
    [InlineData("88.1/ABC", "88.1")]
    [InlineData("88.709.911/产品-001", "88.709.911")]
    [InlineData("88.1/A/B/C", "88.1")]
    public void A_token_round_trips_under_its_prefix(string key, string prefix)
    {
        var token = PageToken.Encode(key);

        Assert.DoesNotContain('+', token);
        Assert.DoesNotContain('/', token);
        Assert.DoesNotContain('=', token);
        Assert.True(PageToken.TryDecode(token, prefix, out var decoded));
        Assert.Equal(key, decoded);
    }

    [Theory]
    [InlineData("88.2/ABC", "88.1")]
    [InlineData("88.10/ABC", "88.1")]
    [InlineData("88.1", "88.1")]
    [InlineData("88.1/ABC", "88")]
    [InlineData("88.1/ABC", "88.1/ABC")]
    public void A_token_from_another_prefix_is_refused(string key, string prefix)
    {
        Assert.False(PageToken.TryDecode(PageToken.Encode(key), prefix, out var decoded));
        Assert.Null(decoded);
    }

    [Fact]
    public void Garbage_tokens_are_refused()
    {
        Assert.False(PageToken.TryDecode("", "88.1", out _));
        Assert.False(PageToken.TryDecode("!!!!", "88.1", out _));
        Assert.False(PageToken.TryDecode("a", "88.1", out _));
        Assert.False(PageToken.TryDecode(PageToken.Encode("88.1/" + new string('x', 4000)), "88.1", out _));
    }
}
