using System.Text.Json;

namespace IdResolution.Node.Tests.Infrastructure;

/// <summary>
/// Redocly CLI's lint with its recommended rules (tests/tools/openapi-lint/redocly.yaml), the standard
/// check a client generator's user runs. tests/run.sh installs it there with <c>npm ci</c>.
/// </summary>
public static class OpenApiLinter
{
    /// <summary>The oldest Node.js the pinned Redocly CLI runs on (its package's engines field).</summary>
    private static readonly Version MinimumNode = new(20, 19);

    private static readonly Dictionary<string, string> Quiet = new(StringComparer.Ordinal)
    {
        // No usage reports and no version check against the registry from a test run.
        ["REDOCLY_TELEMETRY"] = "off",
        ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true",
    };

    private static string Folder => Path.Combine(Repository.Root, "tests", "tools", "openapi-lint");

    private static string Cli => Path.Combine(Folder, "node_modules", "@redocly", "cli", "bin", "cli.js");

    /// <summary>Why the linter cannot run on this machine, or null when it can.</summary>
    public static async Task<string?> UnavailableBecauseAsync()
    {
        if (ExternalTool.FindOnPath("node") is not { } node)
        {
            return "Node.js is not installed (no node on PATH), so Redocly CLI cannot lint the OpenAPI document";
        }

        if (!File.Exists(Cli))
        {
            return "Redocly CLI is not installed: run `npm ci --no-audit --no-fund` in tests/tools/openapi-lint (tests/run.sh does)";
        }

        var version = await ExternalTool.RunAsync(node, ["--version"], Folder, TimeSpan.FromSeconds(30));
        return Version.TryParse(version.Output.Trim().TrimStart('v'), out var found) && found >= MinimumNode
            ? null
            : $"Redocly CLI needs Node.js {MinimumNode} or later; this machine has {version.Output.Trim()}";
    }

    /// <summary>Every problem the lint reports, as "rule at pointer: message", errors and warnings alike.</summary>
    public static async Task<IReadOnlyList<string>> LintAsync(string document)
    {
        var run = await ExternalTool.RunAsync(ExternalTool.FindOnPath("node")!, [Cli, "lint", "--config", "redocly.yaml", "--format", "json", document],
            Folder, TimeSpan.FromMinutes(2), Quiet);
        JsonElement report;
        try
        {
            report = JsonDocument.Parse(run.Output).RootElement;
        }
        catch (JsonException)
        {
            throw new InvalidOperationException($"Redocly CLI gave no report (exit code {run.ExitCode}): {run.Text}");
        }

        var totals = report.GetProperty("totals");
        var problems = report.GetProperty("problems").EnumerateArray()
            .Select(p => $"{p.GetProperty("severity").GetString()} {p.GetProperty("ruleId").GetString()} at {p.GetProperty("location")[0].GetProperty("pointer").GetString()}: {p.GetProperty("message").GetString()}")
            .ToList();
        // The totals and the list must agree, or the report is not the one this parser understands.
        Assert.Equal(totals.GetProperty("errors").GetInt32() + totals.GetProperty("warnings").GetInt32(), problems.Count);
        return problems;
    }
}
