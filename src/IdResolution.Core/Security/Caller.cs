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

    /// <summary>Another node, authenticated by its TLS client certificate.</summary>
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

    public bool IsAuthenticated => Kind != CallerKind.Anonymous;
}
