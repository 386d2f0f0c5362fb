using IdResolution.Core.Records;

namespace IdResolution.Core.Federation;

/// <summary>
/// Another node of the hierarchy, named by the prefix it holds, and the gRPC endpoints of its sites in
/// order of preference (a primary site first, then e.g. a disaster-recovery site). Calls to one node share
/// one circuit breaker, whichever endpoint answers.
/// </summary>
public sealed record RemoteNode(string Prefix, IReadOnlyList<NodeEndpoint> Endpoints)
{
    /// <summary>Site attribute naming the gRPC URL other nodes call (<c>https://a.example:8001</c>).</summary>
    public const string GrpcAttribute = "grpc";

    /// <summary>Site attribute naming the HTTP URL browsers and HTTP clients use.</summary>
    public const string HttpAttribute = "http";

    /// <summary>Site attribute naming the server name the TLS certificate carries, when it differs from the URL's host.</summary>
    public const string TlsNameAttribute = "tls_name";

    /// <summary>Site attribute pinning the SHA-256 thumbprint (hex) of the node's TLS server certificate.</summary>
    public const string TlsPinAttribute = "tls_sha256";

    /// <summary>A stable identity for per-node state (breakers, metrics): the prefix the node holds.</summary>
    public string Id => Prefix;

    /// <summary>The endpoints of the given HS_SITE values, primary sites first; sites without a gRPC URL are skipped.</summary>
    public static RemoteNode FromSites(string prefix, IReadOnlyList<SiteInfo> sites)
    {
        ArgumentNullException.ThrowIfNull(sites);
        var endpoints = new List<NodeEndpoint>(sites.Count);
        foreach (var site in sites.OrderByDescending(s => s.IsPrimary))
        {
            if (Attribute(site, GrpcAttribute) is { Length: > 0 } url)
            {
                endpoints.Add(new NodeEndpoint(url, Attribute(site, HttpAttribute), Attribute(site, TlsNameAttribute), Attribute(site, TlsPinAttribute)));
            }
        }

        return new RemoteNode(prefix, endpoints);
    }

    private static string? Attribute(SiteInfo site, string name)
    {
        foreach (var attribute in site.Attributes)
        {
            if (string.Equals(attribute.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return attribute.Value;
            }
        }

        return null;
    }
}

/// <summary>One site of a node: its gRPC URL, its HTTP URL, and what its TLS certificate must be.</summary>
public sealed record NodeEndpoint(string GrpcUrl, string? HttpUrl = null, string? TlsName = null, string? TlsSha256 = null);
