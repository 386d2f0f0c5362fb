using Microsoft.AspNetCore.Authentication;
namespace IdResolution.Node.Security;

/// <summary>
/// The names of the Handle authentication schemes, and the choice among them for a request, so
/// that the node's default (policy) scheme can forward to the right one.
/// </summary>
internal static class HandleSchemes
{
    /// <summary><c>Authorization: Basic</c> with user name <c>index:handle</c> (URL-encoded) and the HS_SECKEY secret as password.</summary>
    public const string Basic = "HandleBasic";

    /// <summary><c>Authorization: Handle ...</c>: the answer to a <c>WWW-Authenticate: Handle sessionId, nonce</c> challenge.</summary>
    public const string Challenge = "Handle";

    /// <summary>A TLS client certificate whose SHA-256 thumbprint is an admitted child node's <c>cert:</c> credential.</summary>
    public const string Certificate = "NodeCertificate";

    /// <summary><c>Authorization: IdresNode &lt;assertion&gt;</c>: a call signed with an admitted child node's key.</summary>
    public const string Node = Core.Security.NodeAssertion.Scheme;

    /// <summary>
    /// The scheme that should authenticate <paramref name="context"/>, or null when none of these
    /// applies (no credentials, or another kind such as <c>Bearer</c>). The Authorization header
    /// decides when there is one; a client certificate counts only when there is none.
    /// </summary>
    public static string? SelectScheme(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var authorization = context.Request.Headers.Authorization;
        if (authorization.Count > 0)
        {
            var header = authorization[0];
            if (HasScheme(header, "Basic"))
            {
                return Basic;
            }

            if (HasScheme(header, Node))
            {
                return Node;
            }

            return HasScheme(header, "Handle") ? Challenge : null;
        }

        return context.Connection.ClientCertificate is not null ? Certificate : null;
    }

    /// <summary>True when the header names <paramref name="scheme"/> (any case), alone or followed by white space.</summary>
    internal static bool HasScheme(string? header, string scheme)
    {
        if (header is null)
        {
            return false;
        }

        var value = header.AsSpan().TrimStart(" \t");
        return value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
            && (value.Length == scheme.Length || value[scheme.Length] is ' ' or '\t');
    }

    /// <summary>
    /// What both Handle handlers check first: whether the request carries exactly one header of
    /// <paramref name="scheme"/> that may be considered on this channel. Null means go on with <paramref name="header"/>.
    /// </summary>
    internal static AuthenticateResult? Preflight(HttpRequest request, string scheme, HandleSecurityOptions security, ILogger logger, string schemeName, out string header)
    {
        header = string.Empty;
        var headers = request.Headers.Authorization;
        if (headers.Count == 0 || !HasScheme(headers[0], scheme))
        {
            return AuthenticateResult.NoResult();
        }

        if (!security.AllowsCredentials(request))
        {
            SecurityLog.CredentialsIgnoredOverPlainHttp(logger, schemeName);
            return AuthenticateResult.NoResult();
        }

        if (headers.Count > 1)
        {
            return AuthenticateResult.Fail("more than one Authorization header");
        }

        header = headers[0]!;
        return null;
    }
}
