using System.Diagnostics;
using System.Text;
using Grpc.Core;
using IdResolution.Cli.Connection;
using IdResolution.Cli.Output;
using IdResolution.Contracts.V1;

namespace IdResolution.Cli.Bulk;

/// <summary>
/// Writes every handle under a prefix as JSON Lines in the batch API's form (so the file imports again), page by
/// page as the listing streams in: ListHandles for the names, ResolveBatch for their values. After each page
/// the output is flushed to disk and the checkpoint names the next page, so a stopped export resumes there.
/// </summary>
internal sealed class Exporter(NodeConnection node)
{
    private const int Attempts = 6;

    public async Task<ExportSummary> RunAsync(string prefix, string? outputPath, uint pageSize, bool restart, IProgress<long>? progress, CancellationToken stop)
    {
        var checkpointPath = outputPath is null ? null : outputPath + ".checkpoint";
        var saved = checkpointPath is null || restart ? null : ExportCheckpoint.Load(checkpointPath);
        if (saved is not null && !string.Equals(saved.Prefix, prefix, StringComparison.Ordinal))
        {
            throw CliFailure.Usage($"the checkpoint {checkpointPath} is for an export of {saved.Prefix}; run with --restart to export {prefix} into {outputPath}");
        }

        var state = saved ?? new ExportCheckpoint { Prefix = prefix, Output = outputPath is null ? "-" : Path.GetFullPath(outputPath) };
        var clock = Stopwatch.StartNew();
        Stream output = outputPath is null ? Console.OpenStandardOutput() : new FileStream(outputPath, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read);
        await using (output)
        {
            if (outputPath is not null)
            {
                output.SetLength(state.OutputBytes);
                output.Seek(0, SeekOrigin.End);
            }

            progress?.Report(state.Handles);
            var first = saved is null;
            while (first || state.NextPageToken.Length > 0)
            {
                first = false;
                if (stop.IsCancellationRequested)
                {
                    return new ExportSummary(prefix, outputPath, state.Handles, saved?.Handles ?? 0, clock.Elapsed, Completed: false);
                }

                var page = await RetryAsync(() => node.Registry.ListHandlesAsync(
                    new ListHandlesRequest { Prefix = prefix, PageSize = pageSize, PageToken = state.NextPageToken }, node.Call(CancellationToken.None)).ResponseAsync);
                var lines = await LinesAsync(page.Handles);
                output.Write(lines.Bytes);
                if (output is FileStream file)
                {
                    file.Flush(flushToDisk: true);
                }
                else
                {
                    await output.FlushAsync(CancellationToken.None);
                }

                state = state with { NextPageToken = page.NextPageToken, OutputBytes = output.CanSeek ? output.Length : 0, Handles = state.Handles + lines.Count };
                if (checkpointPath is not null)
                {
                    state.Save(checkpointPath);
                }

                progress?.Report(state.Handles);
            }
        }

        if (checkpointPath is not null)
        {
            File.Delete(checkpointPath);
        }

        return new ExportSummary(prefix, outputPath, state.Handles, saved?.Handles ?? 0, clock.Elapsed, Completed: true);
    }

    private async Task<(byte[] Bytes, long Count)> LinesAsync(IReadOnlyList<string> handles)
    {
        if (handles.Count == 0)
        {
            return ([], 0);
        }

        var request = new ResolveBatchRequest();
        request.Handles.Add(handles);
        var reply = await RetryAsync(() => node.Resolution.ResolveBatchAsync(request, node.Call(CancellationToken.None)).ResponseAsync);
        var text = new StringBuilder();
        long count = 0;
        foreach (var result in reply.Results)
        {
            // 100: deleted between the listing and the lookup, so no longer there to export.
            if (result.ResponseCode is 1 or 200)
            {
                var item = new CreateHandleRequest { Handle = result.Handle };
                item.Values.Add(result.Values);
                text.Append(ProtoJson.Text(item)).Append('\n');
                count++;
            }
            else if (result.ResponseCode != 100)
            {
                throw new CliFailure(ExitCodes.ForResponseCode(result.ResponseCode), $"cannot export {result.Handle}: {result.Message}", responseCode: result.ResponseCode);
            }
        }

        return (Encoding.UTF8.GetBytes(text.ToString()), count);
    }

    private static async Task<T> RetryAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (RpcException transient) when (RpcErrors.IsTransient(transient) && attempt < Attempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250 * (1 << attempt) + Random.Shared.Next(250)));
            }
        }
    }
}
