using Google.Protobuf.WellKnownTypes;
using IdResolution.Contracts.V1;
using IdResolution.Core.Administration;

namespace IdResolution.Node.Dashboard;

/// <summary>
/// The one place that turns an admitted child into its status line. Children send no heartbeats yet, so
/// a child is <c>suspended</c> or <c>unknown</c>, with no last heartbeat, availability or figures; when
/// heartbeats arrive, up / late / down and the figures are decided here from them.
/// </summary>
internal static class ChildStatuses
{
    public const string Unknown = "unknown";
    public const string Suspended = "suspended";

    public static ChildNodeStatus Of(AdmittedNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return new ChildNodeStatus
        {
            Prefix = node.Prefix,
            Name = node.Name,
            Status = node.Suspended ? Suspended : Unknown,
            Since = Timestamp.FromDateTimeOffset(node.StatusSince),
        };
    }
}
