using System.Diagnostics;
using Grpc.Core;
using IdResolution.Cli.Connection;
using IdResolution.Contracts.V1;

namespace IdResolution.Cli.Bulk;

/// <summary>
/// Imports a file with BatchCreate: rows in chunks, several chunks in flight, and a checkpoint that only ever
/// moves past chunks the node answered, in file order, so an import killed at any moment resumes with no gap.
/// A stop request (Ctrl-C) sends no new chunk, lets those in flight finish, and saves the checkpoint.
/// </summary>
internal sealed class Importer(NodeConnection node, ImportJob job)
{
    private const int Attempts = 6;

    private readonly Lock _commit = new();
    private readonly SortedDictionary<long, ChunkOutcome> _answered = [];
    private ImportCheckpoint _checkpoint = null!;
    private long _nextToCommit;
    private long _rowsThisRun;
    private Exception? _fatal;

    public async Task<ImportSummary> RunAsync(long totalRows, IProgress<ImportProgress>? progress, CancellationToken stop)
    {
        var fresh = ImportCheckpoint.Fresh(job.Input);
        var saved = job.Restart ? null : ImportCheckpoint.Load(job.CheckpointPath);
        if (saved is not null && !saved.Describes(fresh))
        {
            throw CliFailure.Usage($"the checkpoint {job.CheckpointPath} belongs to another version of {job.Input} (its size or time changed); run with --restart to import it from the start");
        }

        _checkpoint = saved ?? fresh;
        var resumedFrom = _checkpoint.RowsDone;
        var clock = Stopwatch.StartNew();
        using (var errors = new ErrorFile(job.ErrorPath, _checkpoint.ErrorFileBytes))
        {
            _checkpoint.Save(job.CheckpointPath);
            void Report() => progress?.Report(new ImportProgress(_checkpoint.RowsDone, totalRows, _checkpoint.Created, _checkpoint.Unchanged, _checkpoint.Failed,
                Interlocked.Read(ref _rowsThisRun), clock.Elapsed));
            Report();

            using var slots = new SemaphoreSlim(job.Parallelism);
            var inFlight = new List<Task>();
            long chunkNumber = 0;
            foreach (var chunk in Chunks(InputFormats.Read(job.Input, job.Format).SkipWhile(row => row.Row <= resumedFrom)))
            {
                if (stop.IsCancellationRequested || Volatile.Read(ref _fatal) is not null)
                {
                    break;
                }

                try
                {
                    await slots.WaitAsync(stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                if (Volatile.Read(ref _fatal) is not null)
                {
                    slots.Release();
                    break;
                }

                var number = chunkNumber++;
                inFlight.Add(Task.Run(async () =>
                {
                    try
                    {
                        var outcome = await SendAsync(chunk);
                        Commit(number, outcome, errors);
                        Report();
                    }
                    catch (Exception e) when (e is CliFailure or RpcException)
                    {
                        Interlocked.CompareExchange(ref _fatal, e, null);
                    }
                    finally
                    {
                        slots.Release();
                    }
                }, CancellationToken.None));
                inFlight.RemoveAll(task => task.IsCompleted);
            }

            await Task.WhenAll(inFlight);
            Report();
            if (_fatal is not null)
            {
                var failure = _fatal as CliFailure ?? RpcErrors.Translate((RpcException)_fatal, node.Settings.Grpc);
                throw new CliFailure(failure.ExitCode,
                    $"{failure.Message}; {_checkpoint.RowsDone:N0} of {totalRows:N0} rows are done and the checkpoint {job.CheckpointPath} keeps them: run the same command again to resume",
                    failure.Status, failure.ResponseCode, _fatal);
            }
        }

        var completed = _checkpoint.RowsDone >= totalRows;
        string? errorFile = job.ErrorPath;
        if (completed)
        {
            File.Delete(job.CheckpointPath);
            if (_checkpoint.Failed == 0)
            {
                File.Delete(job.ErrorPath);
                errorFile = null;
            }
        }

        return new ImportSummary(_checkpoint.Input, totalRows, _checkpoint.RowsDone, resumedFrom, _checkpoint.Created, _checkpoint.Unchanged, _checkpoint.Failed,
            clock.Elapsed, errorFile, job.CheckpointPath, completed);
    }

    private IEnumerable<List<SourceRow>> Chunks(IEnumerable<SourceRow> rows)
    {
        var chunk = new List<SourceRow>(job.ChunkSize);
        foreach (var row in rows)
        {
            chunk.Add(row);
            if (chunk.Count == job.ChunkSize)
            {
                yield return chunk;
                chunk = new List<SourceRow>(job.ChunkSize);
            }
        }

        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }

    private async Task<ChunkOutcome> SendAsync(List<SourceRow> chunk)
    {
        var errors = new List<ErrorLine>();
        var request = new BatchCreateRequest();
        var sent = new List<SourceRow>(chunk.Count);
        foreach (var row in chunk)
        {
            if (row.Item is null)
            {
                errors.Add(new ErrorLine(row.Row, row.Line, row.Handle, null, row.Error ?? "unreadable row"));
                continue;
            }

            if (job.Overwrite)
            {
                row.Item.Overwrite = true;
            }

            request.Items.Add(row.Item);
            sent.Add(row);
        }

        long created = 0;
        long unchanged = 0;
        if (sent.Count > 0)
        {
            var reply = await BatchCreateAsync(request);
            if (reply.Results.Count != sent.Count)
            {
                throw new CliFailure(ExitCodes.Failed, $"the node answered {reply.Results.Count} results for {sent.Count} items");
            }

            for (var i = 0; i < sent.Count; i++)
            {
                var result = reply.Results[i];
                if (result.ResponseCode == 1)
                {
                    _ = result.Created ? created++ : unchanged++;
                }
                else
                {
                    errors.Add(new ErrorLine(sent[i].Row, sent[i].Line, sent[i].Handle, result.ResponseCode, result.Message));
                }
            }
        }

        errors.Sort((a, b) => a.Row.CompareTo(b.Row));
        return new ChunkOutcome(chunk.Count, created, unchanged, errors);
    }

    /// <summary>BatchCreate is idempotent (a create repeating what is stored succeeds), so a chunk whose answer was lost is simply sent again.</summary>
    private async Task<BatchWriteResponse> BatchCreateAsync(BatchCreateRequest request)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await node.Registry.BatchCreateAsync(request, node.Call(CancellationToken.None));
            }
            catch (RpcException transient) when (RpcErrors.IsTransient(transient) && attempt < Attempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250 * (1 << attempt) + Random.Shared.Next(250)));
            }
        }
    }

    private void Commit(long number, ChunkOutcome outcome, ErrorFile errors)
    {
        lock (_commit)
        {
            _answered[number] = outcome;
            var advanced = false;
            while (_answered.Remove(_nextToCommit, out var next))
            {
                foreach (var error in next.Errors)
                {
                    errors.Append(error);
                }

                _checkpoint = _checkpoint with
                {
                    RowsDone = _checkpoint.RowsDone + next.Rows,
                    Created = _checkpoint.Created + next.Created,
                    Unchanged = _checkpoint.Unchanged + next.Unchanged,
                    Failed = _checkpoint.Failed + next.Errors.Count,
                };
                Interlocked.Add(ref _rowsThisRun, next.Rows);
                _nextToCommit++;
                advanced = true;
            }

            if (advanced)
            {
                // The error lines reach the disk before the checkpoint that counts them.
                errors.Flush();
                _checkpoint = _checkpoint with { ErrorFileBytes = errors.Length };
                _checkpoint.Save(job.CheckpointPath);
            }
        }
    }

    private sealed record ChunkOutcome(int Rows, long Created, long Unchanged, List<ErrorLine> Errors);
}
