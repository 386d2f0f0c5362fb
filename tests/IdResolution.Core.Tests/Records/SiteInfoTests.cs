using System.Net;
using IdResolution.Core.Records;

namespace IdResolution.Core.Tests.Records;

public sealed class SiteInfoTests
{
    private static SiteInfo OneServer(IPAddress address) => new()
    {
        Servers = [new SiteServer(1, address, Array.Empty<byte>(), [])],
    };

    [Fact]
    public void The_header_follows_rfc_3651()
    {
        var site = new SiteInfo
        {
            DataVersion = 1,
            ProtocolMajor = 2,
            ProtocolMinor = 10,
            SerialNumber = 7,
            IsPrimary = true,
            IsMultiPrimary = true,
            HashOption = 2,
            HashFilter = "x",
        };

        byte[] expected =
        [
            0x00, 0x01,
            0x02, 0x0A,
            0x00, 0x07,
            0xC0,
            0x02,
            0x00, 0x00, 0x00, 0x01, (byte)'x',
            0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00,
        ];
        Assert.Equal(expected, site.Encode());
    }

    [Fact]
    public void An_ipv4_address_is_stored_right_aligned_in_16_bytes()
    {
        var bytes = OneServer(IPAddress.Parse("192.0.2.1")).Encode();

        // 8 header bytes, empty hash filter (4), no attributes (4), one server (4), server id (4), then the address.
        const int addressAt = 24;
        Assert.Equal(new byte[12], bytes[addressAt..(addressAt + 12)]);
        Assert.Equal(new byte[] { 192, 0, 2, 1 }, bytes[(addressAt + 12)..(addressAt + 16)]);
        Assert.Equal(new byte[] { 0, 0, 0, 1 }, bytes[20..24]);
    }

    [Fact]
    public void An_ipv6_address_fills_the_16_bytes()
    {
        var address = IPAddress.Parse("2001:db8::1");
        var bytes = OneServer(address).Encode();

        Assert.Equal(address.GetAddressBytes(), bytes[24..40]);
    }

    [Fact]
    public void Site_info_round_trips()
    {
        var site = new SiteInfo
        {
            DataVersion = 3,
            ProtocolMajor = 2,
            ProtocolMinor = 11,
            SerialNumber = 65535,
            IsPrimary = true,
            HashOption = 0,
            HashFilter = "filter",
            Attributes = [new("desc", "主站点"), new("domain", "example.org")],
            Servers =
            [
                new SiteServer(1, IPAddress.Parse("192.0.2.1"), new byte[] { 1, 2, 3, 4 },
                    [new SiteInterface(SiteServiceType.AdminAndQuery, SiteTransport.Tcp, 2641), new SiteInterface(SiteServiceType.Query, SiteTransport.Udp, 2641)]),
                new SiteServer(2, IPAddress.Parse("2001:db8::2"), Array.Empty<byte>(),
                    [new SiteInterface(SiteServiceType.Query, SiteTransport.Https, 8443)]),
            ],
        };

        Assert.True(SiteInfo.TryDecode(site.Encode(), out var decoded));
        Assert.NotNull(decoded);
        Assert.Equal(site.DataVersion, decoded.DataVersion);
        Assert.Equal(site.ProtocolMajor, decoded.ProtocolMajor);
        Assert.Equal(site.ProtocolMinor, decoded.ProtocolMinor);
        Assert.Equal(site.SerialNumber, decoded.SerialNumber);
        Assert.True(decoded.IsPrimary);
        Assert.False(decoded.IsMultiPrimary);
        Assert.Equal(site.HashOption, decoded.HashOption);
        Assert.Equal(site.HashFilter, decoded.HashFilter);
        Assert.Equal(site.Attributes, decoded.Attributes);
        Assert.Equal(2, decoded.Servers.Count);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(site.Servers[i].ServerId, decoded.Servers[i].ServerId);
            Assert.Equal(site.Servers[i].Address, decoded.Servers[i].Address);
            Assert.Equal(site.Servers[i].PublicKey.ToArray(), decoded.Servers[i].PublicKey.ToArray());
            Assert.Equal(site.Servers[i].Interfaces, decoded.Servers[i].Interfaces);
        }

        Assert.Equal(site.Encode(), decoded.Encode());
    }

    [Fact]
    public void Damaged_site_info_is_refused()
    {
        var bytes = new SiteInfo
        {
            Attributes = [new("a", "b")],
            Servers = [new SiteServer(1, IPAddress.Loopback, new byte[] { 1 }, [new SiteInterface(SiteServiceType.Query, SiteTransport.Tcp, 1)])],
        }.Encode();

        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.False(SiteInfo.TryDecode(bytes.AsSpan(0, length), out _), $"site info cut to {length} bytes was accepted");
        }

        Assert.False(SiteInfo.TryDecode([.. bytes, 0], out _));

        // A server count of int.MaxValue after an empty header.
        byte[] huge = [0, 1, 2, 10, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0x7F, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0];
        Assert.False(SiteInfo.TryDecode(huge, out var site));
        Assert.Null(site);
    }
}
