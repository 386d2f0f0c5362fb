namespace IdResolution.LoadTests.Harness;

/// <summary>What one caller (closed loop) or the whole run (open loop, under a lock) counted: latencies, identifiers, and every answer by status.</summary>
internal sealed class RunTally
{
    public LatencyHistogram Latency { get; } = new();

    /// <summary>Answers by status ("200", "302", "OK", "Unavailable", "error:HttpRequestException", ...); only "ok" statuses count as throughput.</summary>
    public Dictionary<string, long> Statuses { get; } = new(StringComparer.Ordinal);

    public long Succeeded { get; set; }

    public long Failed { get; set; }

    /// <summary>Identifiers resolved or written by the successful calls (a batch counts all its items).</summary>
    public long Identifiers { get; set; }

    public string? FirstFailure { get; set; }

    public void Count(OperationResult result)
    {
        Statuses[result.Status] = Statuses.GetValueOrDefault(result.Status) + 1;
        if (result.Ok)
        {
            Succeeded++;
            Identifiers += result.Identifiers;
        }
        else
        {
            Failed++;
            FirstFailure ??= result.Detail ?? result.Status;
        }
    }

    public void Add(RunTally other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Latency.Add(other.Latency);
        foreach (var (status, count) in other.Statuses)
        {
            Statuses[status] = Statuses.GetValueOrDefault(status) + count;
        }

        Succeeded += other.Succeeded;
        Failed += other.Failed;
        Identifiers += other.Identifiers;
        FirstFailure ??= other.FirstFailure;
    }
}

/// <summary>One call's answer: its status, whether it is the answer the scenario expects, and how many identifiers it carried.</summary>
internal readonly record struct OperationResult(string Status, bool Ok, int Identifiers = 1, string? Detail = null);
