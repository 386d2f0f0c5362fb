using System.Globalization;
using System.Net;
using IdResolution.Core.Records;
using IdResolution.Core.Security;

namespace IdResolution.Core.Federation;

/// <summary>Reading and making the HS_SITE values and status of prefix handles, as federation needs them.</summary>
public static class PrefixSites
{
    /// <summary>The index of a prefix handle's IDRES_STATUS value (active, suspended, removed).</summary>
    public const int StatusIndex = 2;

    /// <summary>The index at which a node advertises its own site on its own prefix handle.</summary>
    public const int OwnSiteIndex = 1;

    /// <summary>The status a filed prefix handle gets when the child removed it: a tombstone that keeps the version.</summary>
    public const string Removed = "removed";

    /// <summary>The HS_SITE values of a record, decoded, with the smallest TTL among them.</summary>
    public static (IReadOnlyList<SiteInfo> Sites, TimeSpan Ttl) SitesOf(HandleRecord record, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        var sites = new List<SiteInfo>();
        long ttl = long.MaxValue;
        foreach (var value in record.Values)
        {
            if (ValueDataFormats.HasType(value.Type, WellKnownTypes.Site) && SiteInfo.TryDecode(value.Data.Span, out var site))
            {
                sites.Add(site!);
                ttl = Math.Min(ttl, value.CacheSeconds(now.ToUnixTimeSeconds()));
            }
        }

        return (sites, TimeSpan.FromSeconds(sites.Count == 0 ? 0 : ttl));
    }

    /// <summary>
    /// What names each HS_SITE of a record: its gRPC endpoint, or the site's encoding when it advertises none.
    /// Two prefix handles whose sites share one are served by the same node.
    /// </summary>
    public static IReadOnlySet<string> SiteKeys(HandleRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var value in record.Values)
        {
            if (ValueDataFormats.HasType(value.Type, WellKnownTypes.Site) && SiteInfo.TryDecode(value.Data.Span, out var site))
            {
                keys.Add(site!.Attributes.FirstOrDefault(a => a.Key == RemoteNode.GrpcAttribute).Value ?? Convert.ToBase64String(site.Encode()));
            }
        }

        return keys;
    }

    /// <summary>Whether the record has an HS_SITE value (not decoded: a cheap test on the resolution path).</summary>
    public static bool HasSites(HandleRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        foreach (var value in record.Values)
        {
            if (ValueDataFormats.HasType(value.Type, WellKnownTypes.Site))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the sites of <paramref name="a"/> and <paramref name="b"/> name the same node (<see cref="SiteKeys"/> overlap).</summary>
    public static bool SameNode(HandleRecord a, HandleRecord b) => SiteKeys(a).Overlaps(SiteKeys(b));

    /// <summary>The IDRES_STATUS text of a prefix handle (active, suspended, removed), with the time it was set; active when there is none.</summary>
    public static (string Status, DateTimeOffset Since) StatusOf(HandleRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        foreach (var value in record.Values)
        {
            if (ValueDataFormats.HasType(value.Type, ReservedTypes.PrefixStatus))
            {
                return (System.Text.Encoding.UTF8.GetString(value.Data.Span), DateTimeOffset.FromUnixTimeSeconds(value.Timestamp));
            }
        }

        return ("active", DateTimeOffset.MinValue);
    }

    /// <summary>The child version of the newest filing applied to a prefix handle (0 when none was).</summary>
    public static long FiledVersion(HandleRecord? record)
    {
        foreach (var value in record?.Values ?? [])
        {
            if (ValueDataFormats.HasType(value.Type, ReservedTypes.Filed)
                && long.TryParse(value.Data.Span, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                return version;
            }
        }

        return 0;
    }

    /// <summary>
    /// This node's own site as other nodes must reach it: the advertised URLs and TLS name as attributes
    /// (<see cref="RemoteNode"/>), one server with the advertised host's address when it is an IP address.
    /// </summary>
    public static SiteInfo Advertised(AdvertisedEndpoints endpoints, string? tlsSha256)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var attributes = new List<KeyValuePair<string, string>>();
        Add(attributes, RemoteNode.GrpcAttribute, endpoints.Grpc);
        Add(attributes, RemoteNode.HttpAttribute, endpoints.Http);
        Add(attributes, RemoteNode.TlsNameAttribute, endpoints.TlsName);
        Add(attributes, RemoteNode.TlsPinAttribute, tlsSha256);
        var servers = new List<SiteServer>();
        if (Uri.TryCreate(endpoints.Grpc, UriKind.Absolute, out var grpc) && IPAddress.TryParse(grpc.Host.Trim('[', ']'), out var address))
        {
            var transport = grpc.Scheme == Uri.UriSchemeHttps ? SiteTransport.Https : SiteTransport.Http;
            servers.Add(new SiteServer(1, address, ReadOnlyMemory<byte>.Empty, [new SiteInterface(SiteServiceType.AdminAndQuery, transport, grpc.Port)]));
        }

        return new SiteInfo { IsPrimary = true, SerialNumber = 1, Attributes = attributes, Servers = servers };
    }

    private static void Add(List<KeyValuePair<string, string>> attributes, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            attributes.Add(new KeyValuePair<string, string>(name, value));
        }
    }
}
