using IdResolution.Core.Duties;

namespace IdResolution.Node.Dashboard;

/// <summary>
/// The node's one filer of prefix handle changes with its parent (null without a parent or a change log):
/// run by the host's federation duties, read by the status for the filing backlog.
/// </summary>
internal sealed class FederationFiling(PrefixFiler? filer)
{
    public PrefixFiler? Filer => filer;
}
