using System.Text;

namespace IdResolution.Storage.Cassandra.Tests;

public sealed class Utf8OrderTests
{
    [Theory]
    [InlineData("a", "b")]
    [InlineData("a", "ab")]
    [InlineData("", "a")]
    [InlineData("Z", "a")]
    [InlineData("\uFFFD", "\U0001F600")]
    [InlineData("\uE000", "\U00010000")]
    [InlineData("x/\u00E9", "x/\u0800")]
    public void Strings_order_as_their_UTF8_bytes(string smaller, string larger)
    {
        Assert.True(Utf8Order.Instance.Compare(smaller, larger) < 0);
        Assert.True(Utf8Order.Instance.Compare(larger, smaller) > 0);
        Assert.True(Encoding.UTF8.GetBytes(smaller).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(larger)) < 0);
    }

    [Fact]
    public void UTF16_ordinal_order_disagrees_where_UTF8_order_is_needed() =>
        Assert.True(string.CompareOrdinal("\uFFFD", "\U0001F600") > 0);

    [Fact]
    public void Equal_strings_compare_equal() =>
        Assert.Equal(0, Utf8Order.Instance.Compare("88.709.911/\U0001F600", string.Concat("88.709.911/", "\U0001F600")));
}
