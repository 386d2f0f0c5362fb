using System.Globalization;
using System.Security.Claims;
using IdResolution.Core.Records;
using IdResolution.Core.Security;
using Microsoft.AspNetCore.Authentication;

namespace IdResolution.Node.Security;

/// <summary>The principals the node's schemes issue: an admin identity <c>index:handle</c> (Handle schemes) or an admitted child node.</summary>
internal static class HandlePrincipal
{
    public static AuthenticationTicket Admin(ValueReference identity, string scheme)
    {
        Claim[] claims =
        [
            new(ClaimTypes.Name, AdminIdentity.Format(identity)),
            new(NodeClaims.Kind, NodeClaims.KindAdmin),
            new(NodeClaims.Handle, identity.Handle),
            new(NodeClaims.Index, identity.Index.ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer32),
        ];
        return new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, scheme)), scheme);
    }

    /// <summary>An admitted child node, acting as its identity <c>300:0.NA/&lt;prefix&gt;</c>; with the thumbprint of the certificate it presented, if any.</summary>
    public static ClaimsPrincipal Peer(string prefix, string scheme, string? thumbprint = null)
    {
        var identity = NodeDelegation.Identity(prefix);
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, NodeDelegation.CallerName(prefix)),
            new(NodeClaims.Kind, NodeClaims.KindPeer),
            new(NodeClaims.Handle, identity.Handle),
            new(NodeClaims.Index, identity.Index.ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer32),
        };
        if (thumbprint is not null)
        {
            claims.Add(new Claim(ClaimTypes.Thumbprint, thumbprint));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }
}
