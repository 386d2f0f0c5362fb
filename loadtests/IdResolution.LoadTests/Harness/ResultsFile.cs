using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace IdResolution.LoadTests.Harness;

/// <summary>One scenario's figures: calls and identifiers a second, latency, answers by status, and its ratio to the baseline measured in the same invocation.</summary>
internal sealed record ScenarioFigures(
    string Scenario,
    string Loop,
    int Callers,
    double? Rate,
    double Seconds,
    double CallsPerSecond,
    double IdentifiersPerSecond,
    LatencySummary LatencyMs,
    IReadOnlyDictionary<string, long> Statuses,
    long Errors,
    string? Baseline,
    double? Ratio,
    string? FirstError)
{
    public static ScenarioFigures From(string scenario, string loop, int callers, double? rate, TimeSpan measured, RunTally tally) => new(
        scenario, loop, callers, rate, measured.TotalSeconds,
        tally.Succeeded / measured.TotalSeconds, tally.Identifiers / measured.TotalSeconds,
        tally.Latency.Summarize(), new SortedDictionary<string, long>(tally.Statuses, StringComparer.Ordinal), tally.Failed, null, null, tally.FirstFailure);

    /// <summary>Identifiers a second over the baseline's (calls a second for unary baselines, where each call is one identifier).</summary>
    public ScenarioFigures Against(ScenarioFigures baseline) => this with
    {
        Baseline = baseline.Scenario,
        Ratio = baseline.IdentifiersPerSecond > 0 ? Math.Round(IdentifiersPerSecond / baseline.IdentifiersPerSecond, 3) : null,
    };
}

/// <summary>Where a run was measured: what the figures depend on besides the code.</summary>
internal sealed record MachineLine(int Cores, string Cpu, string Dotnet, string Os, string Commit, string LoadAverage)
{
    public static MachineLine Current(string commit) => new(
        Environment.ProcessorCount, CpuModel(), Environment.Version.ToString(), RuntimeInformation.OSDescription, commit, ReadLoadAverage());

    public override string ToString() => $"{Cores} cores, {Cpu}, .NET {Dotnet}, {Os}, commit {Commit}, load average {LoadAverage}";

    /// <summary>The 1, 5 and 15 minute load averages, read when called: other work on the machine skews the figures.</summary>
    public static string ReadLoadAverage() => File.Exists("/proc/loadavg")
        ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3))
        : "unknown";

    private static string CpuModel() => File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown"
        : RuntimeInformation.ProcessArchitecture.ToString();
}

/// <summary>A run's results as JSON (for the record under loadtests/results/) and as a table.</summary>
internal static class ResultsFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string ToJson(MachineLine machine, DateTimeOffset started, IReadOnlyList<ScenarioFigures> results) =>
        JsonSerializer.Serialize(new RunRecord(machine, started, results), Json);

    public static RunRecord? FromJson(string json) => JsonSerializer.Deserialize<RunRecord>(json, Json);

    /// <summary>Writes <c>run-yyyyMMdd-HHmmss.json</c> into <paramref name="directory"/> and returns its path.</summary>
    public static string Write(string directory, MachineLine machine, DateTimeOffset started, IReadOnlyList<ScenarioFigures> results)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"run-{started.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.json");
        File.WriteAllText(path, ToJson(machine, started, results) + Environment.NewLine);
        return path;
    }

    public static void WriteTable(TextWriter output, IReadOnlyList<ScenarioFigures> results)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine("| scenario | ratio | vs | ids/s | calls/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | errors |");
        output.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            var l = r.LatencyMs;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Scenario} ({r.Loop}{(r.Rate is { } rate ? $" {rate:0}/s" : $" c{r.Callers}")}) | {(r.Ratio is { } ratio ? ratio.ToString("0.00", CultureInfo.InvariantCulture) : "-")} | {r.Baseline ?? "-"} | {r.IdentifiersPerSecond:N0} | {r.CallsPerSecond:N0} | {l.P50:0.###} | {l.P90:0.###} | {l.P99:0.###} | {l.P999:0.###} | {l.Max:0.###} | {(r.Errors == 0 ? "0" : string.Join(' ', r.Statuses.Select(s => $"{s.Key}:{s.Value}")))} |"));
        }
    }

    /// <summary>The commit the harness was built from, as git reports it (or "unknown").</summary>
    public static string Commit()
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", "rev-parse --short HEAD") { RedirectStandardOutput = true, RedirectStandardError = true });
            var commit = git?.StandardOutput.ReadToEnd().Trim();
            git?.WaitForExit();
            return string.IsNullOrEmpty(commit) ? "unknown" : commit;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }
}

/// <summary>The JSON document of one run.</summary>
internal sealed record RunRecord(MachineLine Machine, DateTimeOffset Started, IReadOnlyList<ScenarioFigures> Results);
