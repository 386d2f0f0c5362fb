using IdResolution.Core.Federation;

namespace IdResolution.Federation.Channels;

/// <summary>
/// One remote endpoint as this node calls it: its URL and what its certificate must be. Endpoints that
/// are the configured parent's also accept the parent's pins and TLS name (<c>Federation:Parent</c>).
/// Two sites at one URL with different pins are different identities, so a rotated pin opens a new channel.
/// </summary>
internal sealed class EndpointIdentity
{
    private EndpointIdentity(Uri address, HashSet<string> pins, string? tlsName)
    {
        Address = address;
        Url = Normalize(address);
        Pins = pins;
        TlsName = tlsName;
        Key = Url + "|" + string.Join(',', pins.Order(StringComparer.Ordinal)) + "|" + tlsName;
        Check = IsTls ? new ServerCertificateCheck(pins, string.IsNullOrEmpty(tlsName) ? address.IdnHost : tlsName) : null;
    }

    public Uri Address { get; }

    public string Url { get; }

    public IReadOnlySet<string> Pins { get; }

    public string? TlsName { get; }

    /// <summary>Identifies the channel: URL, pins and TLS name.</summary>
    public string Key { get; }

    public bool IsTls => Address.Scheme == Uri.UriSchemeHttps;

    public ServerCertificateCheck? Check { get; }

    /// <summary>Why <paramref name="url"/> cannot be called, or null: it must be an absolute https URL (http only when plaintext is allowed).</summary>
    public static string? Problem(string? url, bool allowInsecure, out Uri? address)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out address) || (address.Scheme != Uri.UriSchemeHttps && address.Scheme != Uri.UriSchemeHttp))
        {
            address = null;
            return $"'{url}' is not an absolute https:// URL";
        }

        if (address.Scheme == Uri.UriSchemeHttp && !allowInsecure)
        {
            return $"'{url}' is plaintext (h2c), which node-to-node calls use only with Federation:AllowInsecure=true (development): the answers would be unprotected";
        }

        return null;
    }

    public static bool TryCreate(NodeEndpoint endpoint, ParentEndpoints parent, bool allowInsecure, out EndpointIdentity? identity, out string refusal)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(parent);
        identity = null;
        if (Problem(endpoint.GrpcUrl, allowInsecure, out var address) is { } problem)
        {
            refusal = problem;
            return false;
        }

        var pins = new HashSet<string>(StringComparer.Ordinal);
        if (!CertificatePins.TryParse(endpoint.TlsSha256, pins))
        {
            refusal = $"its tls_sha256 '{endpoint.TlsSha256}' is not a list of SHA-256 thumbprints (64 hex digits each)";
            return false;
        }

        var tlsName = string.IsNullOrWhiteSpace(endpoint.TlsName) ? null : endpoint.TlsName.Trim();
        if (parent.Contains(Normalize(address!)))
        {
            pins.UnionWith(parent.Pins);
            tlsName ??= parent.TlsName;
        }

        identity = new EndpointIdentity(address!, pins, tlsName);
        refusal = string.Empty;
        return true;
    }

    public static string Normalize(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }

    public override string ToString() => Url;
}

/// <summary>The configured parent's endpoints and identity (<c>Federation:Parent</c>).</summary>
internal sealed class ParentEndpoints
{
    private readonly HashSet<string> _urls = new(StringComparer.OrdinalIgnoreCase);

    public ParentEndpoints(ParentOptions parent)
    {
        ArgumentNullException.ThrowIfNull(parent);
        foreach (var url in parent.Endpoints)
        {
            if (Uri.TryCreate(url, UriKind.Absolute, out var address))
            {
                _urls.Add(EndpointIdentity.Normalize(address));
            }
        }

        foreach (var pin in parent.TlsSha256)
        {
            if (CertificatePins.Canonical(pin) is { } canonical)
            {
                Pins.Add(canonical);
            }
        }

        TlsName = string.IsNullOrWhiteSpace(parent.TlsName) ? null : parent.TlsName.Trim();
    }

    public HashSet<string> Pins { get; } = new(StringComparer.Ordinal);

    public string? TlsName { get; }

    public bool Contains(string url) => _urls.Contains(url);
}
