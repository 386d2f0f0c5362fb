namespace IdResolution.Node.Hosting;

/// <summary>The escrow a node keeps of its children (configuration section <c>Escrow</c>).</summary>
internal sealed class EscrowOptions
{
    public const string Section = "Escrow";

    /// <summary>How long to wait before asking a child that had nothing new for its changes again: the escrow's lag when writes trickle in.</summary>
    public int PollMilliseconds { get; set; } = 1000;

    /// <summary>Change-log entries or dumped records per page read from a child (the child serves at most 5000).</summary>
    public int BatchSize { get; set; } = 1000;
}
