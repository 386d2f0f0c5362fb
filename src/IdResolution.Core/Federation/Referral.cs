using IdResolution.Core.Records;

namespace IdResolution.Core.Federation;

/// <summary>
/// Where to ask next for the handles under <see cref="Prefix"/>: the HS_SITE values of the node that holds
/// it (one per site of that node), and how long the answer may be cached. An upward referral comes from a
/// node that does not know the prefix and names its own parent instead.
/// </summary>
public sealed record Referral(string Prefix, IReadOnlyList<SiteInfo> Sites, TimeSpan TimeToLive, bool Upward = false)
{
    /// <summary>The node these sites describe, reachable at the gRPC URLs their attributes give.</summary>
    public RemoteNode Node => RemoteNode.FromSites(Prefix, Sites);
}
