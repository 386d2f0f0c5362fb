namespace IdResolution.Node.Security;

/// <summary>
/// Claims every authentication scheme of the node puts on its principal, so that one mapping turns
/// any of them into a core <see cref="Core.Security.Caller"/>.
/// </summary>
internal static class NodeClaims
{
    /// <summary>"administrator", "admin" (an <c>index:handle</c> identity) or "peer" (an admitted child node, identity <c>300:0.NA/&lt;prefix&gt;</c>).</summary>
    public const string Kind = "idres:kind";

    /// <summary>The admin identity's handle, e.g. <c>0.USER/acme</c> or <c>0.NA/88.709.911</c>.</summary>
    public const string Handle = "idres:handle";

    /// <summary>The admin identity's value index, e.g. 300.</summary>
    public const string Index = "idres:index";

    public const string KindAdministrator = "administrator";
    public const string KindAdmin = "admin";
    public const string KindPeer = "peer";
}
