using System.Net;
using System.Text;
using IdResolution.Core.Records;

namespace IdResolution.Core.Tests.Records;

public sealed class ValueDataFormatsTests
{
    private static readonly byte[] Admin = new AdminValue("88.1/ADMIN", 300, AdminPermissions.All).Encode();
    private static readonly byte[] List = ValueList.Encode([new ValueReference("88.1/ADMIN", 300)]);
    private static readonly byte[] Site = new SiteInfo { Servers = [new SiteServer(1, IPAddress.Loopback, Array.Empty<byte>(), [])] }.Encode();

    private static ValueDataFormat Classify(string type, byte[] data) => ValueDataFormats.Classify(new HandleValue { Index = 1, Type = type, Data = data });

    private static ValueDataFormat Classify(string type, string text) => Classify(type, Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Structured_types_with_decodable_data_are_structured()
    {
        Assert.Equal(ValueDataFormat.Admin, Classify("HS_ADMIN", Admin));
        Assert.Equal(ValueDataFormat.Admin, Classify("hs_admin", Admin));
        Assert.Equal(ValueDataFormat.VList, Classify("HS_VLIST", List));
        Assert.Equal(ValueDataFormat.Site, Classify("HS_SITE", Site));
        Assert.Equal(ValueDataFormat.Site, Classify("HS_SITE.6", Site));
        Assert.Equal(ValueDataFormat.Site, Classify("HS_SITE.PREFIX", Site));
    }

    [Fact]
    public void Structured_types_with_garbage_fall_back_to_base64_or_string()
    {
        Assert.Equal(ValueDataFormat.Base64, Classify("HS_ADMIN", [0x00, 0x01, 0x02]));
        Assert.Equal(ValueDataFormat.String, Classify("HS_ADMIN", "not an admin record"));
        Assert.Equal(ValueDataFormat.String, Classify("HS_ADMIN", []));
        Assert.Equal(ValueDataFormat.Base64, Classify("HS_VLIST", [0x00, 0x00, 0x00, 0x09]));
        Assert.Equal(ValueDataFormat.String, Classify("HS_SITE", "site"));
    }

    [Fact]
    public void Structured_data_under_another_type_is_not_structured()
    {
        Assert.Equal(ValueDataFormat.Base64, Classify("URL", Admin));
        Assert.Equal(ValueDataFormat.Base64, Classify("HS_SITEX", Site));
        Assert.Equal(ValueDataFormat.Base64, Classify("HS_ADMIN2", Admin));
    }

    [Theory]
    [InlineData("https://example.org/a?b=c")]
    [InlineData("产品说明")]
    [InlineData("line one\nline two\r\n\tindented")]
    [InlineData("")]
    [InlineData("\U0001F600")]
    public void Text_is_string(string text) => Assert.Equal(ValueDataFormat.String, Classify("URL", text));

    [Theory]
    [InlineData(new byte[] { 0x61, 0x00, 0x62 })]
    [InlineData(new byte[] { 0x00 })]
    [InlineData(new byte[] { 0x61, 0x08 })]
    [InlineData(new byte[] { 0x61, 0x1B })]
    [InlineData(new byte[] { 0x61, 0x7F })]
    [InlineData(new byte[] { 0xFF, 0xFE })]
    [InlineData(new byte[] { 0x61, 0xC3 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    public void Control_bytes_and_invalid_utf8_are_base64(byte[] data) => Assert.Equal(ValueDataFormat.Base64, Classify("DATA", data));

    [Theory]
    [InlineData("HS_SITE", "HS_SITE", true)]
    [InlineData("hs_site", "HS_SITE", true)]
    [InlineData("HS_SITE.6", "HS_SITE", true)]
    [InlineData("HS_SITE.PREFIX", "HS_SITE", true)]
    [InlineData("HS_SITEX", "HS_SITE", false)]
    [InlineData("HS_SIT", "HS_SITE", false)]
    [InlineData("HS_SITE", "HS_SITE.PREFIX", false)]
    [InlineData("", "HS_SITE", false)]
    public void Has_type_matches_the_type_and_its_subtypes(string type, string wellKnown, bool expected) =>
        Assert.Equal(expected, ValueDataFormats.HasType(type, wellKnown));
}
