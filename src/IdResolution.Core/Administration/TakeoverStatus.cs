using IdResolution.Core.Federation;

namespace IdResolution.Core.Administration;

/// <summary>
/// A child's takeover as its parent's operator sees it: the mark (null when it was never taken over), and how
/// far the escrow copy is behind the child — the change-log position the copy applied, the child's last
/// position as its latest heartbeat reported it, and the difference; each null while unknown.
/// </summary>
public sealed record TakeoverStatus(string Prefix, TakeoverMark? Mark, long? EscrowApplied, long? ChildPosition, long? Lag)
{
    public bool InForce => Mark is { InForce: true };
}
