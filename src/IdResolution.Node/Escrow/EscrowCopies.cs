using IdResolution.Core.Duties;

namespace IdResolution.Node.Escrow;

/// <summary>
/// The escrow this node keeps of its children: the puller (and through it the copies' store), or null with
/// the reason when the node keeps none (an enterprise node admits no children; the Cassandra store has no
/// escrow store yet). Run by the escrow duties (hosting), read by the administration API.
/// </summary>
internal sealed class EscrowCopies(EscrowPuller? puller, string offReason)
{
    public EscrowPuller? Puller => puller;

    /// <summary>Why <see cref="Puller"/> is null (empty when it is not).</summary>
    public string OffReason => puller is null ? offReason : string.Empty;
}
