using System.Diagnostics;
using System.Text;
using System.Text.Json;
using IdResolution.Cli.Tests.Infrastructure;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Cli.Tests.Bulk;

/// <summary>
/// import and export against a real node process: error rows with reasons, the same file twice, a SIGKILL half-way
/// and Ctrl-C, each checked by exporting the prefix.
/// </summary>
[Collection(CliNodeCollection.Name)]
public sealed class ImportTests(CliNode fixture) : IDisposable
{
    private const int Rows = 20_000;

    private readonly TempDirectory _files = new();

    [Fact]
    public async Task A_csv_import_rejects_bad_rows_with_reasons_and_a_second_import_changes_nothing()
    {
        var idres = fixture.Admin;
        var prefix = "88.709.51";
        Assert.Equal(0, (await idres.RunAsync("register", ImportFiles.Handle(prefix, 7), "-v", "1:URL=https://example.com/registered-before")).ExitCode);
        var csv = Path.Combine(_files.Path, "rows.csv");
        var expected = new Dictionary<string, string>(StringComparer.Ordinal) { [ImportFiles.Handle(prefix, 7)] = "https://example.com/registered-before" };
        var text = new StringBuilder("handle,1:URL,2:EMAIL\n");
        for (var i = 0; i < Rows; i++)
        {
            switch (i)
            {
                case 100: text.Append("88.709.51/QUOTE,\"https://x\"y,\n"); continue;
                case 200: text.Append(",https://example.com/no-handle,\n"); continue;
                case 300: text.Append("88.709.51/SHORT\n"); continue;
                case 400: text.Append(" 88.709.51/LEADING-SPACE,https://example.com/x,\n"); continue;
            }

            text.Append($"{ImportFiles.Handle(prefix, i)},\"https://example.com/p/{i},q\",{(i % 2 == 0 ? $"p{i}@example.com" : string.Empty)}\n");
            expected.TryAdd(ImportFiles.Handle(prefix, i), $"https://example.com/p/{i},q");
        }

        await File.WriteAllTextAsync(csv, text.ToString());

        var first = await idres.RunAsync("import", csv, "--json");
        Assert.True(first.ExitCode == 1, first.ToString());
        var summary = OutputSchema.Check("import", first.Output);
        Assert.Equal(Rows, summary.GetProperty("rows").GetInt64());
        Assert.Equal(5, summary.GetProperty("failed").GetInt64());
        Assert.Equal(Rows - 5, summary.GetProperty("created").GetInt64());

        var errors = File.ReadAllLines(summary.GetProperty("errorFile").GetString()!).Select(line => OutputSchema.Check("errorLine", line)).ToList();
        Assert.Equal([9L, 102, 202, 302, 402], errors.Select(error => error.GetProperty("line").GetInt64()));
        Assert.Contains("malformed CSV", errors.Single(error => error.GetProperty("line").GetInt64() == 102).GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("handle column is empty", errors.Single(error => error.GetProperty("line").GetInt64() == 202).GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("1 fields", errors.Single(error => error.GetProperty("line").GetInt64() == 302).GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(102, errors.Single(error => error.GetProperty("line").GetInt64() == 402).GetProperty("responseCode").GetInt32());
        Assert.Equal(101, errors.Single(error => error.GetProperty("line").GetInt64() == 9).GetProperty("responseCode").GetInt32());

        var export = Path.Combine(_files.Path, "export.jsonl");
        var exported = await idres.RunAsync("export", prefix, "-o", export, "--json");
        Assert.True(exported.ExitCode == 0, exported.ToString());
        OutputSchema.Check("export", exported.Output);
        foreach (var line in File.ReadLines(export))
        {
            OutputSchema.Check("exportLine", line);
        }

        var items = ImportFiles.ReadExport(export);
        Assert.Equal(expected.OrderBy(pair => pair.Key, StringComparer.Ordinal), items.Select(pair => KeyValuePair.Create(pair.Key, ImportFiles.Url(pair.Value))).OrderBy(pair => pair.Key, StringComparer.Ordinal));
        Assert.Equal($"p0@example.com", items[ImportFiles.Handle(prefix, 0)].GetProperty("values")[1].GetProperty("data").GetProperty("string").GetString());
        Assert.Equal(1, items[ImportFiles.Handle(prefix, 1)].GetProperty("values").GetArrayLength());

        // The same file again: every row is already there as it is, so nothing is created and no timestamp moves.
        var second = await idres.RunAsync("import", csv, "--json");
        Assert.Equal(1, second.ExitCode);
        var again = OutputSchema.Check("import", second.Output);
        Assert.Equal(0, again.GetProperty("created").GetInt64());
        Assert.Equal(Rows - 5, again.GetProperty("unchanged").GetInt64());
        Assert.Equal(5, File.ReadAllLines(again.GetProperty("errorFile").GetString()!).Length);
        var exportAgain = Path.Combine(_files.Path, "export-again.jsonl");
        Assert.Equal(0, (await idres.RunAsync("export", prefix, "-o", exportAgain, "--json")).ExitCode);
        Assert.Equal(await File.ReadAllTextAsync(export), await File.ReadAllTextAsync(exportAgain));
    }

    [Fact]
    public async Task An_import_killed_half_way_resumes_with_no_duplicate_and_no_gap()
    {
        var idres = fixture.Admin;
        var prefix = "88.709.52";
        var input = Path.Combine(_files.Path, "rows.jsonl");
        ImportFiles.WriteJsonLines(input, prefix, Rows);

        var checkpoint = input + ".checkpoint";
        using (var running = idres.Start("import", input, "--chunk-size", "250", "--parallel", "3", "--json"))
        {
            var done = await WaitForCheckpointAsync(checkpoint, running, Rows);
            running.Kill(entireProcessTree: true);
            await running.WaitForExitAsync();
            Assert.InRange(done, 1, Rows - 1);
        }

        var resumed = await idres.RunAsync("import", input, "--chunk-size", "250", "--parallel", "3", "--json");
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        var summary = OutputSchema.Check("import", resumed.Output);
        Assert.InRange(summary.GetProperty("resumedFrom").GetInt64(), 1, Rows - 1);
        Assert.Equal(Rows, summary.GetProperty("rowsDone").GetInt64());
        Assert.Equal(0, summary.GetProperty("failed").GetInt64());
        Assert.False(File.Exists(checkpoint), "a finished import removes its checkpoint");

        var export = Path.Combine(_files.Path, "export.jsonl");
        Assert.Equal(0, (await idres.RunAsync("export", prefix, "-o", export, "--json")).ExitCode);
        var items = ImportFiles.ReadExport(export);
        Assert.Equal(Enumerable.Range(0, Rows).Select(i => ImportFiles.Handle(prefix, i)), items.Keys.Order(StringComparer.Ordinal));
        Assert.All(Enumerable.Range(0, Rows), i => Assert.Equal($"https://example.com/p/{i}", ImportFiles.Url(items[ImportFiles.Handle(prefix, i)])));
    }

    [Fact]
    public async Task Ctrl_c_stops_an_import_after_its_chunks_in_flight_and_the_next_run_finishes_it()
    {
        var idres = fixture.Admin;
        var prefix = "88.709.53";
        // Five times the other tests' file, in small chunks one at a time, so the import is still running when the signal comes.
        const int rows = Rows * 5;
        var input = Path.Combine(_files.Path, "rows.jsonl");
        ImportFiles.WriteJsonLines(input, prefix, rows);
        var checkpoint = input + ".checkpoint";

        using (var running = idres.Start("import", input, "--chunk-size", "100", "--parallel", "1", "--json"))
        {
            var output = running.StandardOutput.ReadToEndAsync();
            var errors = running.StandardError.ReadToEndAsync();
            await WaitForCheckpointAsync(checkpoint, running, rows);
            using (var signal = Process.Start("kill", ["-INT", running.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await signal!.WaitForExitAsync();
            }

            await running.WaitForExitAsync();
            Assert.True(running.ExitCode == 130, $"exit {running.ExitCode}: {await output} {await errors}");
            var interrupted = OutputSchema.Check("import", await output);
            Assert.False(interrupted.GetProperty("completed").GetBoolean());
            var saved = JsonDocument.Parse(await File.ReadAllTextAsync(checkpoint)).RootElement.GetProperty("rowsDone").GetInt64();
            Assert.Equal(interrupted.GetProperty("rowsDone").GetInt64(), saved);
        }

        var resumed = await idres.RunAsync("import", input, "--json");
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Equal(rows, OutputSchema.Check("import", resumed.Output).GetProperty("rowsDone").GetInt64());
        var export = Path.Combine(_files.Path, "export.jsonl");
        Assert.Equal(0, (await idres.RunAsync("export", prefix, "-o", export, "--json")).ExitCode);
        Assert.Equal(rows, ImportFiles.ReadExport(export).Count);
    }

    public void Dispose() => _files.Dispose();

    /// <summary>Polls the checkpoint until some rows, but not all, are done; returns how many.</summary>
    internal static async Task<long> WaitForCheckpointAsync(string checkpoint, Process running, long total, long minimum = 1)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(20))
        {
            Assert.False(running.HasExited, "the import ended before it could be interrupted");
            if (File.Exists(checkpoint))
            {
                try
                {
                    var done = JsonDocument.Parse(await File.ReadAllTextAsync(checkpoint)).RootElement.GetProperty("rowsDone").GetInt64();
                    if (done >= minimum && done < total / 2)
                    {
                        return done;
                    }

                    Assert.True(done < total, "the import finished before it could be interrupted");
                }
                catch (Exception e) when (e is IOException or JsonException)
                {
                    // Replaced while read; the next poll sees the new one.
                }
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("the import made no progress");
    }
}
