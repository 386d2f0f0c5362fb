using IdResolution.Core.Composition;
using IdResolution.Core.Federation;
using IdResolution.Core.Security;

namespace IdResolution.Node.Hosting;

/// <summary>
/// The allowed values of the <c>Federation</c> settings. Besides ranges: the parent's endpoints are absolute
/// http(s) URLs, pinned by at least one certificate thumbprint when they are https, and a node that would
/// federate (it has a parent or advertises endpoints) without TLS, or over an http:// endpoint, refuses to
/// start unless <c>Federation:AllowInsecure</c> says it is a development setup.
/// </summary>
internal static class FederationSettingsValidation
{
    private const string Section = FederationOptions.Section;

    /// <param name="options">The settings to check.</param>
    /// <param name="tls">Whether the node serves TLS (<c>Node:Tls:CertificatePath</c> is set).</param>
    /// <param name="nodePrefix">The node's own prefix (<c>Security:NodePrefix</c>), which must lie under its parent's.</param>
    /// <param name="problems">Where the problems found go.</param>
    public static void Check(FederationOptions options, bool tls, string nodePrefix, SettingProblems problems)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(problems);
        problems.Range($"{Section}:MaxReferrals", options.MaxReferrals, 1, 32);
        problems.Check(Enum.IsDefined(options.Recursion), $"{Section}:Recursion", options.Recursion.ToString(), "Off, Authenticated or All");
        problems.Range($"{Section}:ReferralTtlSeconds", options.ReferralTtlSeconds, 0, 86_400);
        problems.Range($"{Section}:TimeoutMilliseconds", options.TimeoutMilliseconds, 50, 60_000);
        problems.Range($"{Section}:StaleRetrySeconds", options.StaleRetrySeconds, 1, 3600);
        problems.Range($"{Section}:MaxStaleSeconds", options.MaxStaleSeconds, 0, 604_800);
        problems.Range($"{Section}:StaleMaxEntries", options.StaleMaxEntries, 0, 100_000_000);
        problems.Range($"{Section}:MaxInFlightPerNode", options.MaxInFlightPerNode, 1, 1_000_000);
        problems.Range($"{Section}:SuspensionGraceSeconds", options.SuspensionGraceSeconds, 0, 604_800);
        problems.Range($"{Section}:SiteRefreshSeconds", options.SiteRefreshSeconds, 10, 86_400);
        problems.Range($"{Section}:FilingBatch", options.FilingBatch, 1, 10_000);
        problems.Required($"{Section}:NodeKeyPath", options.NodeKeyPath, "the file of the node's key, e.g. ./keys/node-key.pem");

        var parent = options.Parent;
        var insecure = !tls;
        for (var i = 0; i < parent.Endpoints.Count; i++)
        {
            insecure |= CheckUrl(problems, $"{Section}:Parent:Endpoints:{i}", parent.Endpoints[i]) == Uri.UriSchemeHttp;
        }

        for (var i = 0; i < parent.TlsSha256.Count; i++)
        {
            var digits = parent.TlsSha256[i]?.Replace(":", string.Empty, StringComparison.Ordinal) ?? string.Empty;
            problems.Check(digits.Length == 64 && digits.All(char.IsAsciiHexDigit), $"{Section}:Parent:TlsSha256:{i}", parent.TlsSha256[i],
                "the SHA-256 thumbprint of a certificate of the parent: 64 hex digits (colons allowed)");
        }

        for (var i = 0; i < parent.Credentials.Count; i++)
        {
            var valid = NodeCredential.TryParse(parent.Credentials[i], out var credential, out var error) && credential.Kind == NodeCredentialKind.Key;
            problems.Check(valid, $"{Section}:Parent:Credentials:{i}", parent.Credentials[i],
                valid || error.Length == 0 ? "a node key of the parent, key:<base64 SubjectPublicKeyInfo> as its GetNodeIdentity shows it" : error);
        }

        problems.Check(parent.Credentials.Count <= NodeCredential.MaxPerNode, $"{Section}:Parent:Credentials", parent.Credentials.Count,
            $"at most {NodeCredential.MaxPerNode} keys (the current one and the next, while the parent rotates)");

        if (options.HasParent)
        {
            var under = !string.IsNullOrWhiteSpace(parent.Prefix)
                && nodePrefix.StartsWith(parent.Prefix.Trim() + ".", StringComparison.OrdinalIgnoreCase);
            problems.Check(under, $"{Section}:Parent:Prefix", parent.Prefix, $"the prefix the parent holds, under which Security:NodePrefix ({nodePrefix}) lies");
            problems.Check(parent.TlsSha256.Count > 0 || !parent.Endpoints.Any(e => e.StartsWith(Uri.UriSchemeHttps + ":", StringComparison.OrdinalIgnoreCase)),
                $"{Section}:Parent:TlsSha256", null, "at least one thumbprint when the parent's endpoints are https: the parent is whoever holds a pinned certificate");
        }

        var advertised = options.AdvertisedEndpoints;
        var advertises = false;
        foreach (var (name, url) in new[] { ("Grpc", advertised.Grpc), ("Http", advertised.Http) })
        {
            if (!string.IsNullOrWhiteSpace(url))
            {
                advertises = true;
                insecure |= CheckUrl(problems, $"{Section}:AdvertisedEndpoints:{name}", url) == Uri.UriSchemeHttp;
            }
        }

        problems.Check(!((options.HasParent || advertises) && insecure && !options.AllowInsecure), $"{Section}:AllowInsecure", options.AllowInsecure,
            "true to federate without TLS (development only): this node has no Node:Tls certificate or an http:// endpoint in Federation:Parent:Endpoints "
            + "or Federation:AdvertisedEndpoints, and a node without TLS refuses to federate unless AllowInsecure is set");
    }

    /// <summary>Checks an absolute http(s) URL and returns its scheme (null when it is not one).</summary>
    private static string? CheckUrl(SettingProblems problems, string key, string? url)
    {
        var valid = Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0;
        problems.Check(valid, key, url, "an absolute http or https URL such as https://top.example:8001");
        return valid ? uri!.Scheme : null;
    }
}
