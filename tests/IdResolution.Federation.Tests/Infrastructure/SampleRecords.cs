using System.Net;
using System.Text;
using IdResolution.Core.Federation;
using IdResolution.Core.Records;

namespace IdResolution.Federation.Tests.Infrastructure;

/// <summary>Core values of every data format, with the timestamps a home node sets.</summary>
internal static class SampleRecords
{
    public static HandleValue Url(int index, string url, long timestamp = 1_790_000_000) =>
        new() { Index = index, Type = "URL", Data = Encoding.UTF8.GetBytes(url), Timestamp = timestamp };

    public static SiteInfo Site(string grpcUrl, bool primary, string? pin = null, string? tlsName = null)
    {
        var attributes = new List<KeyValuePair<string, string>> { new(RemoteNode.GrpcAttribute, grpcUrl), new(RemoteNode.HttpAttribute, grpcUrl.Replace("8001", "8000", StringComparison.Ordinal)) };
        if (pin is not null)
        {
            attributes.Add(new(RemoteNode.TlsPinAttribute, pin));
        }

        if (tlsName is not null)
        {
            attributes.Add(new(RemoteNode.TlsNameAttribute, tlsName));
        }

        return new SiteInfo
        {
            IsPrimary = primary,
            SerialNumber = 7,
            Attributes = attributes,
            Servers = [new SiteServer(1, IPAddress.Parse("10.0.0.5"), new byte[] { 1, 2, 3 }, [new SiteInterface(SiteServiceType.AdminAndQuery, SiteTransport.Tcp, 2641)])],
        };
    }

    /// <summary>A record holding text, binary, HS_ADMIN, HS_VLIST and HS_SITE values, an absolute TTL and restricted permissions.</summary>
    public static HandleRecord Varied(string handle) => new(handle,
    [
        Url(1, "https://example.com/products/abc-0001"),
        new HandleValue { Index = 2, Type = "BLOB", Data = new byte[] { 0, 255, 7, 1 }, TtlType = TtlType.Absolute, Ttl = 1_900_000_000, Timestamp = 1_790_000_100, Permissions = ValuePermissions.AdminRead | ValuePermissions.AdminWrite },
        new HandleValue { Index = 100, Type = "HS_ADMIN", Data = new AdminValue("0.NA/88.710", 200, AdminPermissions.All).Encode(), Timestamp = 1_790_000_200 },
        new HandleValue { Index = 200, Type = "HS_VLIST", Data = ValueList.Encode([new ValueReference("0.NA/88.710", 300)]), Timestamp = 1_790_000_300, References = [new ValueReference("88.710/other", 1)] },
        new HandleValue { Index = 300, Type = "HS_SITE", Data = Site("https://b.example:8001", primary: true).Encode(), Ttl = 3600, Timestamp = 1_790_000_400 },
    ], version: 42);
}
