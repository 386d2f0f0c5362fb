namespace IdResolution.Cli.Bulk;

/// <summary>What to import and how: chunk size (at most the batch API's 2,000), calls in flight, and the files beside it.</summary>
internal sealed record ImportJob(string Input, InputFormat Format, int ChunkSize, int Parallelism, string CheckpointPath, string ErrorPath, bool Overwrite, bool Restart)
{
    public const int MaxChunkSize = 2000;
}

/// <summary>Where an import stands, for the progress bar.</summary>
internal sealed record ImportProgress(long RowsDone, long TotalRows, long Created, long Unchanged, long Failed, long RowsThisRun, TimeSpan Elapsed)
{
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? RowsThisRun / Elapsed.TotalSeconds : 0;
}

/// <summary>How an import ended. <see cref="Completed"/> is false when it was interrupted; the checkpoint then stays.</summary>
internal sealed record ImportSummary(string Input, long TotalRows, long RowsDone, long ResumedFrom, long Created, long Unchanged, long Failed,
    TimeSpan Elapsed, string? ErrorFile, string CheckpointPath, bool Completed)
{
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? (RowsDone - ResumedFrom) / Elapsed.TotalSeconds : 0;
}
