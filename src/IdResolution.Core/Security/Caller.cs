using IdResolution.Core.Records;

namespace IdResolution.Core.Security;

/// <summary>Who a request comes from, as far as authorisation cares.</summary>
public enum CallerKind
{
    Anonymous,

    /// <summary>An operator of this node: may do anything.</summary>
    NodeAdministrator,

    /// <summary>Authenticated as an admin identity <c>index:handle</c> (an enterprise account, or HS_SECKEY/HS_PUBKEY).</summary>
    HandleAdmin,

    /// <summary>
    /// A child node this node admitted, authenticated by a signed node assertion or its TLS client certificate;
    /// it acts as its admin identity <c>300:0.NA/&lt;its prefix&gt;</c>.
    /// </summary>
    PeerNode,
}

/// <summary>
/// The authenticated identity of a request and where it came from. Every surface builds one and
/// hands it to the core; the core's policy decides from it alone.
/// </summary>
public sealed record Caller(CallerKind Kind, ValueReference? Identity, string Name, string ClientAddress)
{
    public static Caller Anonymous(string clientAddress) => new(CallerKind.Anonymous, null, "anonymous", clientAddress);

    public static Caller Administrator(string name, string clientAddress) => new(CallerKind.NodeAdministrator, null, name, clientAddress);

    public static Caller Admin(ValueReference identity, string name, string clientAddress) => new(CallerKind.HandleAdmin, identity, name, clientAddress);

    /// <summary>The admitted child node that holds <paramref name="prefix"/>.</summary>
    public static Caller Peer(string prefix, string clientAddress) =>
        new(CallerKind.PeerNode, NodeDelegation.Identity(prefix), NodeDelegation.CallerName(prefix), clientAddress);

    public bool IsAuthenticated => Kind != CallerKind.Anonymous;
}
