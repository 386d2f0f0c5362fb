using System.Text.Json.Nodes;
using Spectre.Console;

namespace IdResolution.Cli.Output;

/// <summary>
/// Where a command's output goes: results on standard output (human text, or one JSON document with
/// <c>--json</c>), progress and human-readable errors on standard error, so a pipe only ever sees results.
/// </summary>
internal sealed class Terminal
{
    public Terminal(bool json)
    {
        Json = json;
        Out = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        Error = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
    }

    public bool Json { get; }

    /// <summary>Standard output, for human tables.</summary>
    public IAnsiConsole Out { get; }

    /// <summary>Standard error, for progress bars and prompts.</summary>
    public IAnsiConsole Error { get; }

    /// <summary>Writes one line of human text to standard output (plain text, never markup).</summary>
    public static void Line(string text) => Console.Out.WriteLine(text);

    /// <summary>Writes a note to standard error, e.g. where a checkpoint was left.</summary>
    public static void Note(string text) => Console.Error.WriteLine(text);

    /// <summary>Writes the command's JSON document on one line of standard output.</summary>
    public static void WriteJson(JsonNode document) => Console.Out.WriteLine(document.ToJsonString(ProtoJson.Compact));

    /// <summary>Reports a failure: <c>{"error":{...}}</c> on standard output with --json, else a line on standard error.</summary>
    public void Fail(CliFailure failure)
    {
        if (Json)
        {
            var error = new JsonObject { ["exitCode"] = failure.ExitCode, ["message"] = failure.Message };
            if (failure.Status is not null)
            {
                error["status"] = failure.Status;
            }

            if (failure.ResponseCode != 0)
            {
                error["responseCode"] = failure.ResponseCode;
            }

            WriteJson(new JsonObject { ["error"] = error });
            return;
        }

        var code = failure.ResponseCode != 0 ? $" (Handle code {failure.ResponseCode})" : string.Empty;
        Note($"idres: {failure.Message}{code}");
    }
}
