using IdResolution.Core.Duties;

namespace IdResolution.Node.Dashboard;

/// <summary>
/// The node's one filer of prefix handle changes with its parent (null without a parent or a change log), and
/// what its parent's answers said of a takeover of this node: run by the host's federation duties, read by the
/// status for the filing backlog and the takeover.
/// </summary>
internal sealed class FederationFiling(PrefixFiler? filer, TakeoverObserver? takeover)
{
    public PrefixFiler? Filer => filer;

    public TakeoverObserver? Takeover => takeover;
}
