using IdResolution.Core.Records;
using IdResolution.Core.Resolution;

namespace IdResolution.Core.Tests.Resolution;

public sealed class ValueFilterTests
{
    private static HandleValue Value(int index, string type) => new() { Index = index, Type = type };

    [Fact]
    public void An_empty_filter_matches_everything()
    {
        var filter = new ValueFilter([], []);

        Assert.True(filter.IsEmpty);
        Assert.True(ValueFilter.All.IsEmpty);
        Assert.True(filter.Matches(Value(1, "URL")));
        Assert.True(filter.Matches(Value(int.MaxValue, "HS_ADMIN")));
    }

    [Fact]
    public void Types_and_indexes_are_ored()
    {
        var filter = new ValueFilter(["EMAIL"], [1, 7]);

        Assert.False(filter.IsEmpty);
        Assert.True(filter.Matches(Value(1, "URL")));
        Assert.True(filter.Matches(Value(7, "HS_ADMIN")));
        Assert.True(filter.Matches(Value(2, "EMAIL")));
        Assert.False(filter.Matches(Value(3, "URL")));
    }

    [Fact]
    public void An_index_filter_alone_selects_by_index()
    {
        var filter = new ValueFilter([], [100]);

        Assert.True(filter.Matches(Value(100, "HS_ADMIN")));
        Assert.False(filter.Matches(Value(1, "HS_ADMIN")));
    }

    [Theory]
    [InlineData("URL", "URL", true)]
    [InlineData("url", "URL", true)]
    [InlineData("URL", "Url", true)]
    [InlineData("URL", "URL.ja", false)]
    [InlineData("URL", "URLX", false)]
    [InlineData("URL", "URI", false)]
    [InlineData("URL", "", false)]
    [InlineData("URL.", "URL", true)]
    [InlineData("URL.", "URL.ja", true)]
    [InlineData("url.", "URL.JA", true)]
    [InlineData("URL.", "URL.ja.kansai", true)]
    [InlineData("URL.", "URLX", false)]
    [InlineData("URL.", "URL_ja", false)]
    [InlineData("URL.", "", false)]
    [InlineData("URL.ja", "URL.JA", true)]
    [InlineData("URL.ja", "URL", false)]
    [InlineData("描述", "描述", true)]
    [InlineData("描述.", "描述.EN", true)]
    [InlineData("DESC.\u00E9", "DESC.\u00E9", true)]
    [InlineData("desc.\u00E9", "DESC.\u00C9", false)]
    [InlineData("DESC.\u00C9.", "DESC.\u00E9", false)]
    [InlineData("DESC.\u00E9.", "desc.\u00E9.x", true)]
    public void Types_match_exactly_or_by_parent_ignoring_ascii_case_only(string requested, string type, bool expected)
    {
        Assert.Equal(expected, ValueFilter.TypeMatches(requested, type));
        Assert.Equal(expected, new ValueFilter([requested], []).Matches(Value(1, type)));
    }

    [Fact]
    public void The_filter_keeps_its_own_copy_of_the_request()
    {
        var types = new List<string> { "URL" };
        var indexes = new List<int> { 1 };
        var filter = new ValueFilter(types, indexes);

        types[0] = "EMAIL";
        indexes[0] = 2;

        Assert.True(filter.Matches(Value(5, "URL")));
        Assert.True(filter.Matches(Value(1, "X")));
        Assert.False(filter.Matches(Value(2, "EMAIL")));
    }
}
