using Spectre.Console;

namespace IdResolution.Cli.Commands;

/// <summary>
/// Passwords never come from a flag (it would sit in shell history and the process list): one line of standard
/// input with --password-stdin, else IDRES_PASSWORD, else a hidden prompt when a terminal is attached.
/// </summary>
internal static class Passwords
{
    public static string Read(Invocation run, bool fromStandardInput, string prompt)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (fromStandardInput)
        {
            var line = Console.In.ReadLine();
            return string.IsNullOrEmpty(line) ? throw CliFailure.Usage("--password-stdin: standard input had no password line") : line;
        }

        if (Environment.GetEnvironmentVariable("IDRES_PASSWORD") is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }

        if (Console.IsInputRedirected || !run.Terminal.Error.Profile.Capabilities.Interactive)
        {
            throw CliFailure.Usage("no password: pipe it with --password-stdin or set IDRES_PASSWORD");
        }

        return run.Terminal.Error.Prompt(new TextPrompt<string>(prompt).Secret());
    }
}
