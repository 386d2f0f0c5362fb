namespace IdResolution.Node.Hosting;

/// <summary>Operations reporting (configuration section <c>Duties</c>): where the operations journal is kept, and the heartbeat interval.</summary>
internal sealed class DutiesOptions
{
    public const string Section = "Duties";

    /// <summary>The operations journal: alive marks and declared maintenance, one folder per node.</summary>
    public string JournalPath { get; set; } = "./operations";

    /// <summary>How often a child sends its heartbeat to its parent; the parent calls a child late after two intervals without one, down after three.</summary>
    public int HeartbeatSeconds { get; set; } = 30;
}
