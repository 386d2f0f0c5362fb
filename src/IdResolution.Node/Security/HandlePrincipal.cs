using System.Globalization;
using System.Security.Claims;
using IdResolution.Core.Records;
using IdResolution.Core.Security;
using Microsoft.AspNetCore.Authentication;

namespace IdResolution.Node.Security;

/// <summary>The principal of an admin identity <c>index:handle</c>, as every Handle scheme issues it.</summary>
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

    public static ClaimsPrincipal Peer(string name, string thumbprint, string scheme)
    {
        Claim[] claims =
        [
            new(ClaimTypes.Name, name),
            new(NodeClaims.Kind, NodeClaims.KindPeer),
            new(ClaimTypes.Thumbprint, thumbprint),
        ];
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }
}
