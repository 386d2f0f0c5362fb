using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using IdResolution.Cli.Bulk;
using IdResolution.Cli.Output;
using Spectre.Console;

namespace IdResolution.Cli.Commands;

/// <summary><c>idres import</c> and <c>idres export</c>: files of many records, with progress, checkpoints and resumption.</summary>
internal static class BulkCommands
{
    public static Command Import()
    {
        var file = new Argument<string>("file") { Description = "A .csv or .jsonl file (README \"Command line\" describes both)" };
        var format = new Option<string?>("--format") { Description = "csv or jsonl (default: from the file's extension)" };
        var chunkSize = new Option<int>("--chunk-size") { Description = "Rows per BatchCreate call (at most 2,000)", DefaultValueFactory = _ => ImportJob.MaxChunkSize };
        var parallel = new Option<int>("--parallel") { Description = "Calls in flight at once", DefaultValueFactory = _ => 4 };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Checkpoint file (default: FILE.checkpoint); an import resumes from it" };
        var errors = new Option<string?>("--errors") { Description = "Error file, JSON Lines with each rejected row and why (default: FILE.errors.jsonl)" };
        var restart = new Option<bool>("--restart") { Description = "Ignore an existing checkpoint and start from the first row" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace records that exist with other values (otherwise they are rejected with code 101)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress bar" };
        var command = new Command("import", "Create the handles of a CSV or JSON Lines file with BatchCreate (resumable)")
        {
            file, format, chunkSize, parallel, checkpoint, errors, restart, overwrite, quiet,
        };
        Invocation.Bind(command, async run =>
        {
            var input = run.Get(file);
            if (!File.Exists(input))
            {
                throw CliFailure.Usage($"{input} does not exist");
            }

            if (run.Get(chunkSize) is < 1 or > ImportJob.MaxChunkSize)
            {
                throw CliFailure.Usage($"--chunk-size must be from 1 to {ImportJob.MaxChunkSize:N0}");
            }

            if (run.Get(parallel) is < 1 or > 64)
            {
                throw CliFailure.Usage("--parallel must be from 1 to 64");
            }

            var job = new ImportJob(input, InputFormats.Of(input, run.Get(format)), run.Get(chunkSize), run.Get(parallel),
                run.Get(checkpoint) ?? input + ".checkpoint", run.Get(errors) ?? input + ".errors.jsonl", run.Get(overwrite), run.Get(restart));
            var total = InputFormats.Count(input, job.Format);
            var importer = new Importer(run.Node, job);
            ImportSummary summary;
            if (run.Get(quiet))
            {
                summary = await importer.RunAsync(total, null, run.Stop);
            }
            else
            {
                summary = await WithProgressAsync(run, "import", total, task => importer.RunAsync(total, new InlineProgress<ImportProgress>(p =>
                {
                    task.Value = p.RowsDone;
                    task.Description = $"import {Rates.Number(p.RowsDone)}/{Rates.Number(p.TotalRows)} rows, {Rates.Number(p.RowsPerSecond)} rows/s, {Rates.Eta(p.RowsDone, p.TotalRows, p.RowsPerSecond)}";
                }), run.Stop));
            }

            WriteSummary(run, summary);
            return !summary.Completed ? ExitCodes.Interrupted : summary.Failed > 0 ? ExitCodes.PartlyFailed : ExitCodes.Success;
        });
        return command;
    }

    public static Command Export()
    {
        var prefix = new Argument<string>("prefix") { Description = "The prefix to export, e.g. 88.709.911" };
        var output = new Option<string?>("--output", "-o") { Description = "JSON Lines file to write (resumable); standard output when not given" };
        var pageSize = new Option<uint>("--page-size") { Description = "Handles per listing page (at most 1,000)", DefaultValueFactory = _ => 1000 };
        var restart = new Option<bool>("--restart") { Description = "Ignore an existing checkpoint and write the file from the start" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress line" };
        var command = new Command("export", "Write every handle under a prefix as JSON Lines, in the form import takes") { prefix, output, pageSize, restart, quiet };
        Invocation.Bind(command, async run =>
        {
            if (run.Get(pageSize) is < 1 or > 1000)
            {
                throw CliFailure.Usage("--page-size must be from 1 to 1,000");
            }

            var path = run.Get(output);
            if (path is null && run.Terminal.Json)
            {
                throw CliFailure.Usage("with --json, name the export file with --output (standard output carries the summary)");
            }

            var exporter = new Exporter(run.Node);
            ExportSummary summary;
            if (run.Get(quiet) || path is null)
            {
                summary = await exporter.RunAsync(run.Get(prefix), path, run.Get(pageSize), run.Get(restart), null, run.Stop);
            }
            else
            {
                var started = DateTime.UtcNow;
                summary = await WithProgressAsync(run, "export", null, task => exporter.RunAsync(run.Get(prefix), path, run.Get(pageSize), run.Get(restart), new InlineProgress<long>(count =>
                {
                    task.Value = count;
                    task.Description = $"export {Rates.Number(count)} handles, {Rates.Number(count / Math.Max(0.001, (DateTime.UtcNow - started).TotalSeconds))} handles/s";
                }), run.Stop));
            }

            if (run.Terminal.Json)
            {
                Terminal.WriteJson(new JsonObject
                {
                    ["prefix"] = summary.Prefix,
                    ["output"] = summary.Output is null ? null : Path.GetFullPath(summary.Output),
                    ["handles"] = summary.Handles,
                    ["resumedFrom"] = summary.ResumedFrom,
                    ["seconds"] = Math.Round(summary.Elapsed.TotalSeconds, 3),
                    ["handlesPerSecond"] = Math.Round(summary.HandlesPerSecond, 1),
                    ["completed"] = summary.Completed,
                });
            }
            else if (path is not null)
            {
                Terminal.Line(summary.Completed
                    ? $"exported {Rates.Number(summary.Handles)} handles of {summary.Prefix} to {path} in {summary.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s ({Rates.Number(summary.HandlesPerSecond)} handles/s)"
                    : $"interrupted after {Rates.Number(summary.Handles)} handles; run the same command again to resume");
            }

            return summary.Completed ? ExitCodes.Success : ExitCodes.Interrupted;
        });
        return command;
    }

    /// <summary>
    /// A progress bar on standard error. Where standard error is not a terminal, Spectre.Console prints the
    /// description as a line about once a second instead, so the rate and ETA are in the description.
    /// </summary>
    private static Task<T> WithProgressAsync<T>(Invocation run, string name, long? total, Func<ProgressTask, Task<T>> body) =>
        run.Terminal.Error.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(name, maxValue: Math.Max(1, total ?? 1));
                task.IsIndeterminate = total is null;
                var result = await body(task);
                if (total is null)
                {
                    task.MaxValue = Math.Max(1, task.Value);
                }

                task.StopTask();
                return result;
            });

    private static void WriteSummary(Invocation run, ImportSummary summary)
    {
        if (run.Terminal.Json)
        {
            Terminal.WriteJson(new JsonObject
            {
                ["input"] = summary.Input,
                ["rows"] = summary.TotalRows,
                ["rowsDone"] = summary.RowsDone,
                ["resumedFrom"] = summary.ResumedFrom,
                ["created"] = summary.Created,
                ["unchanged"] = summary.Unchanged,
                ["failed"] = summary.Failed,
                ["seconds"] = Math.Round(summary.Elapsed.TotalSeconds, 3),
                ["rowsPerSecond"] = Math.Round(summary.RowsPerSecond, 1),
                ["errorFile"] = summary.ErrorFile is null ? null : Path.GetFullPath(summary.ErrorFile),
                ["checkpoint"] = summary.Completed ? null : summary.CheckpointPath,
                ["completed"] = summary.Completed,
            });
            return;
        }

        var resumed = summary.ResumedFrom > 0 ? $", resumed after row {Rates.Number(summary.ResumedFrom)}" : string.Empty;
        Terminal.Line($"{(summary.Completed ? "imported" : "interrupted after")} {Rates.Number(summary.RowsDone)} of {Rates.Number(summary.TotalRows)} rows in {summary.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s ({Rates.Number(summary.RowsPerSecond)} rows/s{resumed}): "
            + $"{Rates.Number(summary.Created)} created, {Rates.Number(summary.Unchanged)} unchanged, {Rates.Number(summary.Failed)} failed");
        if (summary.Failed > 0)
        {
            Terminal.Line($"rejected rows and why: {summary.ErrorFile}");
        }

        if (!summary.Completed)
        {
            Terminal.Line($"checkpoint {summary.CheckpointPath}: run the same command again to resume");
        }
    }
}
