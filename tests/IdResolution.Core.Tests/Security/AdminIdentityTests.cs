using IdResolution.Core.Records;
using IdResolution.Core.Security;

namespace IdResolution.Core.Tests.Security;

public sealed class AdminIdentityTests
{
    [Theory]
    [InlineData("300:0.NA/88.709.911", "0.NA/88.709.911", 300)]
    [InlineData("0.NA/88.709.911", "0.NA/88.709.911", 0)]
    [InlineData("1:88.709.911/a:b", "88.709.911/a:b", 1)]
    [InlineData("x1:88.709.911/a", "x1:88.709.911/a", 0)]
    [InlineData("2147483647:0.NA/1", "0.NA/1", int.MaxValue)]
    public void Digits_before_the_first_colon_are_the_index(string text, string handle, int index)
    {
        Assert.True(AdminIdentity.TryParse(text, out var identity));
        Assert.Equal(new ValueReference(handle, index), identity);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("300:")]
    [InlineData("2147483648:0.NA/1")]
    public void Empty_handles_and_oversized_indexes_are_refused(string? text) =>
        Assert.False(AdminIdentity.TryParse(text, out _));

    [Fact]
    public void Identities_format_as_index_colon_handle() =>
        Assert.Equal("300:0.NA/88.709.911", AdminIdentity.Format(new ValueReference("0.NA/88.709.911", 300)));
}
